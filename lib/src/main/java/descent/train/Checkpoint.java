package descent.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A training checkpoint: everything needed to continue a run exactly where it was after a completed epoch, in
 * one file.
 *
 * <pre>
 *   "DESCENTCKPT1"                      12 ASCII bytes
 *   int n, n bytes                      JSON header: model description, epochs done, seed, batch size,
 *                                       augmentation, training set size, optimizer name, lr, history rows
 *   int k, then k arrays                each: byte type (0 FLOAT, 1 DOUBLE), long length, values (big-endian)
 *                                       in order: parameters, buffers, optimizer state...
 * </pre>
 *
 * Files are written atomically: to a temporary file in the same folder, flushed to disk, then renamed over the
 * target, so a crash never leaves a half-written checkpoint under the real name.
 *
 * @param header the JSON header fields
 * @param arrays parameters, buffers, then the optimizer's state arrays
 */
public record Checkpoint(Map<String, Object> header, List<INDArray> arrays) {

    private static final byte[] MAGIC = "DESCENTCKPT1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes this checkpoint to {@code file} atomically. */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
            // FileOutputStream, not Files.newOutputStream: an interrupt must not abort (close) the channel midway.
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
                out.write(MAGIC);
                byte[] h = JSON.writeValueAsBytes(header);
                out.writeInt(h.length);
                out.write(h);
                out.writeInt(arrays.size());
                for (INDArray a : arrays) {
                    writeArray(out, a);
                }
                out.flush();
                fos.getFD().sync();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover *.tmp is never read
                }
            }
        }
    }

    private static void writeArray(DataOutputStream out, INDArray a) throws IOException {
        INDArray flat = a.reshape(a.length());
        if (a.dataType() == DataType.FLOAT) {
            out.writeByte(0);
            float[] v = flat.toFloatVector();
            out.writeLong(v.length);
            ByteBuffer bb = ByteBuffer.allocate(v.length * 4);
            bb.asFloatBuffer().put(v);
            out.write(bb.array());
        } else if (a.dataType() == DataType.DOUBLE) {
            out.writeByte(1);
            double[] v = flat.toDoubleVector();
            out.writeLong(v.length);
            ByteBuffer bb = ByteBuffer.allocate(v.length * 8);
            bb.asDoubleBuffer().put(v);
            out.write(bb.array());
        } else {
            throw new IllegalArgumentException("checkpoint arrays must be FLOAT or DOUBLE, got " + a.dataType());
        }
    }

    /** Reads a checkpoint; arrays come back as flat vectors. */
    public static Checkpoint read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(file.toFile()),
                1 << 16))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not a descent checkpoint (bad magic bytes)");
            }
            byte[] h = new byte[in.readInt()];
            in.readFully(h);
            Map<String, Object> header = JSON.readValue(h, new TypeReference<Map<String, Object>>() { });
            int k = in.readInt();
            List<INDArray> arrays = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int type = in.readByte();
                long len = in.readLong();
                if (len < 0 || len > Integer.MAX_VALUE / 8) {
                    throw new IllegalArgumentException(file + ": array " + i + " has bad length " + len);
                }
                byte[] raw = new byte[(int) len * (type == 0 ? 4 : 8)];
                in.readFully(raw);
                if (type == 0) {
                    float[] v = new float[(int) len];
                    ByteBuffer.wrap(raw).asFloatBuffer().get(v);
                    arrays.add(Nd4j.createFromArray(v));
                } else if (type == 1) {
                    double[] v = new double[(int) len];
                    ByteBuffer.wrap(raw).asDoubleBuffer().get(v);
                    arrays.add(Nd4j.createFromArray(v));
                } else {
                    throw new IllegalArgumentException(file + ": array " + i + " has unknown type " + type);
                }
            }
            return new Checkpoint(header, arrays);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated (not a complete checkpoint)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
    }
}
