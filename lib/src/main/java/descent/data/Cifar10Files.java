package descent.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Reading and writing the CIFAR-10 binary format.
 *
 * <p>A batch file is a plain concatenation of records with no header:
 * <pre>
 *   record = 1 label byte (0-9) + 1024 red + 1024 green + 1024 blue bytes   (3073 bytes)
 *   each colour plane is a 32x32 image in row-major order (first 32 bytes = top row)
 * </pre>
 * The training set is {@code data_batch_1.bin ... data_batch_5.bin}, the test set {@code test_batch.bin}; in the
 * official archive {@code cifar-10-binary.tar.gz} they sit in the folder {@code cifar-10-batches-bin/}.
 * Every file may also be gzipped ({@code .bin.gz}).
 *
 * <p>Loading allocates the final byte arrays once, at their exact size (plain files: file size; {@code .gz}: the
 * gzip trailer's size field; {@code .tar.gz}: a first pass over the archive's headers), so a 150 MB training set
 * costs 150 MB, not twice that.
 */
public final class Cifar10Files {

    /** Bytes per record: 1 label + 3072 pixels. */
    public static final int RECORD_BYTES = 1 + Cifar10.IMAGE_BYTES;
    /** The folder inside the official archive. */
    public static final String FOLDER = "cifar-10-batches-bin";
    /** Training batch file names, in order. */
    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** Test batch file name. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The official archive's file name. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";

    private Cifar10Files() {
    }

    /** The file names that hold a split. */
    public static List<String> fileNames(Cifar10.Split split) {
        return split == Cifar10.Split.TRAIN ? TRAIN_FILES : List.of(TEST_FILE);
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** One input file: a name for messages, its uncompressed size, and how to open it (uncompressed). */
    private record Part(String name, long size, IoSupplier<InputStream> open) {
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /**
     * Reads a split from a folder, a {@code .tar.gz} archive, or a single {@code .bin} / {@code .bin.gz} file
     * (a single file is read as it is, whatever the split).
     */
    static Cifar10 read(Path source, Cifar10.Split split) {
        if (!Files.exists(source)) {
            throw missing(source, split, "does not exist");
        }
        if (Files.isDirectory(source)) {
            return readFolder(source, split);
        }
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return readTarGz(source, split);
        }
        if (name.endsWith(".bin") || name.endsWith(".bin.gz")) {
            return readParts(List.of(filePart(source)), split, source.toString());
        }
        throw new IllegalArgumentException("don't know how to read " + source
                + ": expected a folder, a .tar.gz archive, or a .bin / .bin.gz file");
    }

    private static Cifar10 readFolder(Path dir, Cifar10.Split split) {
        for (Path d : List.of(dir, dir.resolve(FOLDER))) {
            List<Part> parts = new ArrayList<>();
            for (String name : fileNames(split)) {
                Path plain = d.resolve(name);
                Path gz = d.resolve(name + ".gz");
                if (Files.isRegularFile(plain)) {
                    parts.add(filePart(plain));
                } else if (Files.isRegularFile(gz)) {
                    parts.add(filePart(gz));
                }
            }
            if (parts.size() == fileNames(split).size()) {
                return readParts(parts, split, d.toString());
            }
            if (!parts.isEmpty()) {
                throw missing(d, split, "holds only some of the files (" + parts.size() + " of "
                        + fileNames(split).size() + ")");
            }
        }
        Path archive = dir.resolve(ARCHIVE);
        if (Files.isRegularFile(archive)) {
            return readTarGz(archive, split);
        }
        throw missing(dir, split, "holds no CIFAR-10 batch files");
    }

    static UncheckedIOException missing(Path where, Cifar10.Split split, String problem) {
        String files = String.join(", ", fileNames(split));
        return new UncheckedIOException(new NoSuchFileException(where.toString(), null,
                problem + ". The CIFAR-10 " + split.name().toLowerCase(Locale.ROOT) + " set needs " + files
                        + " (each may also be gzipped, .bin.gz) in that folder or in its subfolder " + FOLDER
                        + "/, or the official archive " + ARCHIVE + " (" + Cifar10Download.OFFICIAL_URL
                        + ", MD5 " + Cifar10Download.OFFICIAL_MD5 + ") in it"));
    }

    private static Part filePart(Path file) {
        String name = file.toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            long size = gzipDeclaredSize(file);
            return new Part(name, size, () -> new GZIPInputStream(Files.newInputStream(file), 1 << 16));
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new Part(name, size, () -> new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The uncompressed size from the gzip trailer (ISIZE, little-endian, modulo 2^32). */
    private static long gzipDeclaredSize(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            if (len < 18) {
                throw new Cifar10FormatException(file.toString(), -1, -1,
                        "is " + len + " bytes long, too short to be a gzip file");
            }
            f.seek(len - 4);
            byte[] b = new byte[4];
            f.readFully(b);
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Cifar10 readTarGz(Path archive, Cifar10.Split split) {
        List<String> wanted = fileNames(split);
        // Pass 1: entry sizes (headers only, but the whole stream is still inflated).
        Map<String, Long> sizes = new HashMap<>();
        try (TarArchiveInputStream tar = openTar(archive)) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                String base = baseName(e.getName());
                if (e.isFile() && wanted.contains(base) && !sizes.containsKey(base)) {
                    sizes.put(base, e.getSize());
                }
            }
        } catch (ZipException | EOFException e) {
            throw new Cifar10FormatException(archive.toString(), -1, -1, "corrupt or truncated gzip/tar data: " + e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive, e);
        }
        if (sizes.size() < wanted.size()) {
            List<String> absent = new ArrayList<>(wanted);
            absent.removeAll(sizes.keySet());
            throw new Cifar10FormatException(archive.toString(), -1, -1,
                    "archive lacks " + absent + " (expected entries " + FOLDER + "/" + wanted.get(0) + " etc.)");
        }
        // Pass 2: read each wanted entry into its place.
        long[] recordStart = new long[wanted.size()];
        long total = 0;
        for (int i = 0; i < wanted.size(); i++) {
            String entryName = archive + "!" + wanted.get(i);
            long size = sizes.get(wanted.get(i));
            checkWholeRecords(entryName, size);
            recordStart[i] = total;
            total += size / RECORD_BYTES;
        }
        Sink sink = new Sink(total);
        try (TarArchiveInputStream tar = openTar(archive)) {
            TarArchiveEntry e;
            boolean[] done = new boolean[wanted.size()];
            while ((e = tar.getNextTarEntry()) != null) {
                int i = wanted.indexOf(baseName(e.getName()));
                if (e.isFile() && i >= 0 && !done[i]) {
                    long size = sizes.get(wanted.get(i));
                    readRecords(tar, archive + "!" + e.getName(), sink, recordStart[i], size / RECORD_BYTES, false);
                    done[i] = true;
                }
            }
        } catch (ZipException | EOFException e) {
            throw new Cifar10FormatException(archive.toString(), -1, -1, "corrupt or truncated gzip/tar data: " + e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive, e);
        }
        return new Cifar10(sink.labels, sink.pixels, split, archive.toString());
    }

    private static TarArchiveInputStream openTar(Path archive) throws IOException {
        return new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16));
    }

    private static String baseName(String entryName) {
        int slash = entryName.lastIndexOf('/');
        return slash < 0 ? entryName : entryName.substring(slash + 1);
    }

    private static void checkWholeRecords(String name, long size) {
        if (size % RECORD_BYTES != 0) {
            long whole = size / RECORD_BYTES;
            throw new Cifar10FormatException(name, whole * RECORD_BYTES, whole,
                    "holds " + size + " bytes, not a whole number of " + RECORD_BYTES
                            + "-byte records (1 label byte + 3072 pixel bytes): record " + whole
                            + " at byte offset " + whole * RECORD_BYTES + " has only " + (size % RECORD_BYTES)
                            + " bytes. The file is truncated or uses another record size (CIFAR-100 uses 3074)");
        }
    }

    /** Preallocated destination arrays. */
    private static final class Sink {
        final byte[] labels;
        final byte[] pixels;

        Sink(long records) {
            if (records * Cifar10.IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many records for one byte array: " + records);
            }
            labels = new byte[(int) records];
            pixels = new byte[(int) (records * Cifar10.IMAGE_BYTES)];
        }
    }

    private static Cifar10 readParts(List<Part> parts, Cifar10.Split split, String description) {
        long total = 0;
        for (Part p : parts) {
            checkWholeRecords(p.name, p.size);
            total += p.size / RECORD_BYTES;
        }
        Sink sink = new Sink(total);
        long at = 0;
        for (Part p : parts) {
            long count = p.size / RECORD_BYTES;
            try (InputStream in = p.open.get()) {
                readRecords(in, p.name, sink, at, count, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p.name, e);
            }
            at += count;
        }
        return new Cifar10(sink.labels, sink.pixels, split, description);
    }

    /**
     * Reads exactly {@code count} records from {@code in} into the sink at record {@code start}. With
     * {@code expectEnd}, the stream must end right after them.
     */
    private static void readRecords(InputStream in, String name, Sink sink, long start, long count, boolean expectEnd)
            throws IOException {
        byte[] rec = new byte[RECORD_BYTES];
        long offset = 0;
        for (long r = 0; r < count; r++) {
            int n;
            try {
                n = in.readNBytes(rec, 0, RECORD_BYTES);
            } catch (ZipException | EOFException e) {
                throw new Cifar10FormatException(name, offset, r,
                        "corrupt or truncated compressed data in record " + r + " (uncompressed byte offset "
                                + offset + "): " + e.getMessage());
            }
            if (n < RECORD_BYTES) {
                throw new Cifar10FormatException(name, offset + n, r,
                        "truncated: record " + r + " at byte offset " + offset + " has only " + n + " of "
                                + RECORD_BYTES + " bytes (expected " + count + " records, "
                                + count * RECORD_BYTES + " bytes)");
            }
            int label = rec[0] & 0xFF;
            if (label >= Cifar10.NUM_CLASSES) {
                throw new Cifar10FormatException(name, offset, r,
                        "record " + r + " at byte offset " + offset + " has label " + label
                                + ", expected 0-9 (corrupt file, or not a CIFAR-10 binary batch)");
            }
            int i = (int) (start + r);
            sink.labels[i] = rec[0];
            System.arraycopy(rec, 1, sink.pixels, i * Cifar10.IMAGE_BYTES, Cifar10.IMAGE_BYTES);
            offset += RECORD_BYTES;
        }
        if (expectEnd) {
            int extra;
            try {
                extra = in.read();
            } catch (ZipException | EOFException e) {
                throw new Cifar10FormatException(name, offset, count,
                        "corrupt compressed data after the last record (uncompressed byte offset " + offset + "): "
                                + e.getMessage());
            }
            if (extra != -1) {
                throw new Cifar10FormatException(name, offset, count,
                        "holds more data than its size field says (" + offset + " bytes); multi-member gzip files "
                                + "are not supported, gunzip it first");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes {@code data} as one CIFAR-10 batch file; gzipped if the name ends with {@code .gz}. */
    public static void write(Cifar10 data, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream raw = Files.newOutputStream(file);
                 OutputStream out = file.toString().endsWith(".gz")
                         ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16)) {
                writeRecords(data, 0, data.size(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeRecords(Cifar10 data, int from, int to, OutputStream out) throws IOException {
        byte[] rec = new byte[RECORD_BYTES];
        for (int i = from; i < to; i++) {
            rec[0] = (byte) data.label(i);
            data.copyImage(i, rec, 1);
            out.write(rec);
        }
    }

    /** Train records per batch file when {@code n} records are split over the 5 files (the first get the rest). */
    static int[] splitCounts(int n) {
        int[] c = new int[TRAIN_FILES.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = n / c.length + (i < n % c.length ? 1 : 0);
        }
        return c;
    }

    /**
     * Writes a training and a test set in the official folder layout: {@code dir/data_batch_1.bin ... _5.bin}
     * (the training set split in 5 consecutive parts), {@code dir/test_batch.bin}, {@code dir/batches.meta.txt};
     * with {@code gzip} every {@code .bin} becomes {@code .bin.gz}.
     */
    public static void writeFolder(Path dir, Cifar10 train, Cifar10 test, boolean gzip) {
        String ext = gzip ? ".gz" : "";
        int[] counts = splitCounts(train.size());
        int from = 0;
        for (int i = 0; i < counts.length; i++) {
            write(train.slice(from, from + counts[i]), dir.resolve(TRAIN_FILES.get(i) + ext));
            from += counts[i];
        }
        write(test, dir.resolve(TEST_FILE + ext));
        try {
            Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", Cifar10.CLASS_NAMES) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("batches.meta.txt"), e);
        }
    }

    /**
     * Writes a training and a test set as an archive laid out like the official {@code cifar-10-binary.tar.gz}:
     * entries {@code cifar-10-batches-bin/batches.meta.txt}, {@code data_batch_1.bin ... _5.bin},
     * {@code test_batch.bin}.
     */
    public static void writeTarGz(Path file, Cifar10 train, Cifar10 test) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream raw = Files.newOutputStream(file);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(raw, 1 << 16))) {
                byte[] meta = (String.join("\n", Cifar10.CLASS_NAMES) + "\n").getBytes(StandardCharsets.US_ASCII);
                TarArchiveEntry dirEntry = new TarArchiveEntry(FOLDER + "/");
                tar.putArchiveEntry(dirEntry);
                tar.closeArchiveEntry();
                TarArchiveEntry m = new TarArchiveEntry(FOLDER + "/batches.meta.txt");
                m.setSize(meta.length);
                tar.putArchiveEntry(m);
                tar.write(meta);
                tar.closeArchiveEntry();
                int[] counts = splitCounts(train.size());
                int from = 0;
                for (int i = 0; i < counts.length; i++) {
                    putRecords(tar, FOLDER + "/" + TRAIN_FILES.get(i), train, from, from + counts[i]);
                    from += counts[i];
                }
                putRecords(tar, FOLDER + "/" + TEST_FILE, test, 0, test.size());
                tar.finish();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void putRecords(TarArchiveOutputStream tar, String name, Cifar10 data, int from, int to)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize((long) (to - from) * RECORD_BYTES);
        tar.putArchiveEntry(e);
        writeRecords(data, from, to, tar);
        tar.closeArchiveEntry();
    }
}
