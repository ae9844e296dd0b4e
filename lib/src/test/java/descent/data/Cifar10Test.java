package descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Cifar10Test {

    @TempDir
    Path tmp;

    static void assertSame(Cifar10 expected, Cifar10 actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.labels(), actual.labels());
        byte[] a = new byte[Cifar10.IMAGE_BYTES];
        byte[] b = new byte[Cifar10.IMAGE_BYTES];
        for (int i = 0; i < expected.size(); i++) {
            expected.copyImage(i, a, 0);
            actual.copyImage(i, b, 0);
            assertArrayEquals(a, b, "image " + i);
        }
    }

    static Cifar10 concat(Cifar10... parts) {
        int n = Arrays.stream(parts).mapToInt(Cifar10::size).sum();
        byte[] l = new byte[n];
        byte[] p = new byte[n * Cifar10.IMAGE_BYTES];
        int k = 0;
        for (Cifar10 part : parts) {
            for (int i = 0; i < part.size(); i++, k++) {
                l[k] = (byte) part.label(i);
                part.copyImage(i, p, k * Cifar10.IMAGE_BYTES);
            }
        }
        return Cifar10.of(l, p, Cifar10.Split.TRAIN);
    }

    @Test
    void readsFolderGzFolderSubfolderAndArchive() {
        Cifar10 train = Synthetic.cifar10(53, 7, Cifar10.Split.TRAIN);
        Cifar10 test = Synthetic.cifar10(12, 8, Cifar10.Split.TEST);

        Path plain = tmp.resolve("plain");
        Cifar10Files.writeFolder(plain, train, test, false);
        assertTrue(Files.exists(plain.resolve("data_batch_5.bin")));
        assertEquals(11L * Cifar10Files.RECORD_BYTES, size(plain.resolve("data_batch_1.bin")), "53 = 11+11+11+10+10");
        assertSame(train, Cifar10.train(plain));
        assertSame(test, Cifar10.test(plain));

        Path gz = tmp.resolve("gz");
        Cifar10Files.writeFolder(gz.resolve(Cifar10Files.FOLDER), train, test, true);
        assertTrue(Files.exists(gz.resolve(Cifar10Files.FOLDER).resolve("test_batch.bin.gz")));
        assertSame(train, Cifar10.train(gz));          // found in the subfolder cifar-10-batches-bin/
        assertSame(test, Cifar10.test(gz));

        Path archive = tmp.resolve("a").resolve(Cifar10Files.ARCHIVE);
        Cifar10Files.writeTarGz(archive, train, test);
        assertSame(train, Cifar10.train(archive));
        assertSame(test, Cifar10.test(archive));
        assertSame(test, Cifar10.test(archive.getParent()));  // a folder holding only the archive

        Path single = tmp.resolve("one.bin.gz");
        test.write(single);
        assertSame(test, Cifar10.load(single, Cifar10.Split.TEST));
    }

    @Test
    void recordLayoutIsLabelThenRedGreenBluePlanesRowMajor() throws IOException {
        byte[] rec = new byte[Cifar10Files.RECORD_BYTES];
        rec[0] = 3;
        rec[1 + 0 * 1024 + 2 * 32 + 5] = (byte) 200;   // red, row 2, column 5
        rec[1 + 1 * 1024 + 31 * 32 + 0] = (byte) 17;   // green, row 31, column 0
        rec[1 + 2 * 1024 + 0 * 32 + 31] = (byte) 255;  // blue, row 0, column 31
        Path f = tmp.resolve("r.bin");
        Files.write(f, rec);
        Cifar10 d = Cifar10.load(f, Cifar10.Split.TEST);
        assertEquals(1, d.size());
        assertEquals(3, d.label(0));
        assertEquals(200, d.pixel(0, 0, 2, 5));
        assertEquals(17, d.pixel(0, 1, 31, 0));
        assertEquals(255, d.pixel(0, 2, 0, 31));
        assertEquals(0, d.pixel(0, 0, 5, 2));
        assertEquals(0xC80000, d.toImage(0).getRGB(5, 2) & 0xFFFFFF);
    }

    @Test
    void truncatedFileNamesFileRecordAndOffset() throws IOException {
        Cifar10 d = Synthetic.cifar10(4, 1, Cifar10.Split.TEST);
        Path f = tmp.resolve("test_batch.bin");
        d.write(f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class, () -> Cifar10.test(tmp));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(3, e.record());
        assertEquals(3L * 3073, e.byteOffset());
        assertTrue(e.getMessage().contains("byte offset 9219"), e.getMessage());
    }

    @Test
    void truncatedGzipNamesFileAndRecord() throws IOException {
        Cifar10 d = Synthetic.cifar10(20, 1, Cifar10.Split.TEST);
        Path f = tmp.resolve("test_batch.bin.gz");
        d.write(f);
        byte[] all = Files.readAllBytes(f);
        // Keep the trailer (it gives the size) but cut the compressed data in the middle.
        byte[] cut = new byte[all.length / 2 + 8];
        System.arraycopy(all, 0, cut, 0, all.length / 2);
        System.arraycopy(all, all.length - 8, cut, all.length / 2, 8);
        Files.write(f, cut);
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class, () -> Cifar10.test(tmp));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.record() >= 0 && e.record() < 20, "record " + e.record());
    }

    @Test
    void wrongRecordSizeIsReported() throws IOException {
        // CIFAR-100 style: 2 label bytes + 3072 pixels = 3074 bytes per record.
        byte[] data = new byte[3 * 3074];
        Path f = tmp.resolve("test_batch.bin");
        Files.write(f, data);
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class, () -> Cifar10.test(tmp));
        assertTrue(e.getMessage().contains("not a whole number of 3073-byte records"), e.getMessage());
        assertEquals(3, e.record());          // 9222 = 3 * 3073 + 3
        assertEquals(3L * 3073, e.byteOffset());
    }

    @Test
    void badLabelNamesRecordAndOffset() throws IOException {
        Cifar10 d = Synthetic.cifar10(5, 1, Cifar10.Split.TEST);
        Path f = tmp.resolve("bad.bin");
        d.write(f);
        byte[] all = Files.readAllBytes(f);
        all[2 * 3073] = 10;
        Files.write(f, all);
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class,
                () -> Cifar10.load(f, Cifar10.Split.TEST));
        assertEquals(2, e.record());
        assertEquals(6146, e.byteOffset());
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.bin"), e.getMessage());
    }

    @Test
    void badLabelInsideArchiveNamesTheEntry() throws IOException {
        Cifar10 d = Synthetic.cifar10(4, 1, Cifar10.Split.TEST);
        Path f = tmp.resolve("t.bin");
        d.write(f);
        byte[] t = Files.readAllBytes(f);
        t[3073] = 99;                                       // label of record 1
        Path archive = tmp.resolve("x.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/test_batch.bin");
            e.setSize(t.length);
            tar.putArchiveEntry(e);
            tar.write(t);
            tar.closeArchiveEntry();
        }
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class, () -> Cifar10.test(archive));
        assertEquals(1, e.record());
        assertEquals(3073, e.byteOffset());
        assertTrue(e.getMessage().contains("x.tar.gz!cifar-10-batches-bin/test_batch.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("label 99"), e.getMessage());
        // The training files are absent from that archive: say which.
        Cifar10FormatException absent = assertThrows(Cifar10FormatException.class, () -> Cifar10.train(archive));
        assertTrue(absent.getMessage().contains("data_batch_1.bin"), absent.getMessage());
        // A truncated archive is a format error naming the archive.
        Path good = tmp.resolve("good.tar.gz");
        Cifar10Files.writeTarGz(good, Synthetic.cifar10(50, 1, Cifar10.Split.TRAIN), d);
        byte[] a = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, Arrays.copyOf(a, a.length / 2));
        Cifar10FormatException e2 = assertThrows(Cifar10FormatException.class, () -> Cifar10.train(cut));
        assertTrue(e2.getMessage().contains("cut.tar.gz"), e2.getMessage());
    }

    @Test
    void missingFilesSayWhatToPutWhere() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Cifar10.train(tmp));
        String m = e.getCause().getMessage();
        assertTrue(m.contains("data_batch_1.bin") && m.contains("data_batch_5.bin"), m);
        assertTrue(m.contains(tmp.toString()), m);
        assertTrue(m.contains("cifar-10-binary.tar.gz"), m);
    }

    @Test
    void subsets() {
        Cifar10 d = Synthetic.cifar10(100, 3, Cifar10.Split.TRAIN);
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, d.classCounts());
        Cifar10 f = d.first(7);
        assertEquals(7, f.size());
        assertArrayEquals(Arrays.copyOf(d.labels(), 7), f.labels());
        Cifar10 pc = d.perClass(3);
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, pc.classCounts());
        // perClass keeps the original order: its labels are the first 3 occurrences of each class.
        int[] seen = new int[10];
        int k = 0;
        for (int i = 0; i < d.size(); i++) {
            if (seen[d.label(i)]++ < 3) {
                assertEquals(d.label(i), pc.label(k));
                assertEquals(d.pixel(i, 1, 4, 4), pc.pixel(k, 1, 4, 4));
                k++;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> d.perClass(11));
        assertThrows(IllegalArgumentException.class, () -> d.first(101));
    }

    @Test
    void fillBatchNormalizesPerChannel() {
        byte[] l = {4};
        byte[] p = new byte[Cifar10.IMAGE_BYTES];
        p[0] = (byte) 255;             // red at (0,0)
        p[1024 + 1] = (byte) 51;       // green at (0,1)
        Cifar10 d = Cifar10.of(l, p, Cifar10.Split.TEST);
        INDArray x = Nd4j.create(DataType.DOUBLE, 1, 32, 32, 3);
        int[] y = new int[1];
        d.fillBatch(new int[] {0}, 0, 1, new CropAndFlip(0, false), null, x, y);
        assertEquals(4, y[0]);
        // (255/255 - 0.4914) / 0.2023 = 2.5141868...; float precision.
        assertEquals((1 - 0.4914) / 0.2023, x.getDouble(0, 0, 0, 0), 1e-6);
        // (51/255 - 0.4822) / 0.1994 = (0.2 - 0.4822) / 0.1994 = -1.4152457...
        assertEquals((0.2 - 0.4822) / 0.1994, x.getDouble(0, 0, 1, 1), 1e-6);
        // black blue: (0 - 0.4465) / 0.2010 = -2.2213930...
        assertEquals(-0.4465 / 0.2010, x.getDouble(0, 5, 5, 2), 1e-6);
    }

    @Test
    void cropAndFlipMoveThePixelsAsTorchvisionDoes() {
        Cifar10 d = Synthetic.cifar10(1, 5, Cifar10.Split.TEST);
        float[] plain = new float[Cifar10.IMAGE_BYTES];
        float[] aug = new float[Cifar10.IMAGE_BYTES];
        d.normalizedHWC(0, 0, 0, false, plain);
        // crop offset (dy, dx) = (-2, 3) then flip: out[h][w] = img[h-2][31-w+3], black where outside
        d.normalizedHWC(0, -2, 3, true, aug);
        float black = (float) (-0.4914 / 0.2023);
        for (int h = 0; h < 32; h++) {
            for (int w = 0; w < 32; w++) {
                int sy = h - 2;
                int sx = 31 - w + 3;
                float expected = sy >= 0 && sy < 32 && sx >= 0 && sx < 32 ? plain[(sy * 32 + sx) * 3] : black;
                assertEquals(expected, aug[(h * 32 + w) * 3], "at " + h + "," + w);
            }
        }
    }

    @Test
    void augmentedBatchesAreDeterministicGivenTheRandomSource() {
        Cifar10 d = Synthetic.cifar10(8, 5, Cifar10.Split.TRAIN);
        int[] order = {3, 1, 4, 0, 5, 2, 7, 6};
        INDArray a = Nd4j.create(DataType.FLOAT, 8, 32, 32, 3);
        INDArray b = Nd4j.create(DataType.FLOAT, 8, 32, 32, 3);
        INDArray c = Nd4j.create(DataType.FLOAT, 8, 32, 32, 3);
        int[] y = new int[8];
        CropAndFlip aug = Augmentation.cropAndFlip(4);
        d.fillBatch(order, 0, 8, aug, new SplittableRandom(1), a, y);
        d.fillBatch(order, 0, 8, aug, new SplittableRandom(1), b, y);
        d.fillBatch(order, 0, 8, aug, new SplittableRandom(2), c, y);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(d.label(3), y[0]);
        assertEquals(d.label(6), y[7]);
    }

    @Test
    void ofRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Cifar10.of(new byte[2], new byte[3072], Cifar10.Split.TEST));
        assertThrows(IllegalArgumentException.class,
                () -> Cifar10.of(new byte[] {10}, new byte[3072], Cifar10.Split.TEST));
        assertThrows(IllegalArgumentException.class, () -> new CropAndFlip(-1, true));
    }

    @Test
    void multiMemberGzipIsRejectedNotMisread() throws IOException {
        Cifar10 d = Synthetic.cifar10(3, 1, Cifar10.Split.TEST);
        Path f = tmp.resolve("m.bin.gz");
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int part = 0; part < 2; part++) {
                GZIPOutputStream gz = new GZIPOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        finish();
                    }
                };
                byte[] rec = new byte[Cifar10Files.RECORD_BYTES];
                for (int i = 0; i < d.size(); i++) {
                    rec[0] = (byte) d.label(i);
                    d.copyImage(i, rec, 1);
                    gz.write(rec);
                }
                gz.close();
            }
        }
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class,
                () -> Cifar10.load(f, Cifar10.Split.TEST));
        assertTrue(e.getMessage().contains("multi-member"), e.getMessage());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
