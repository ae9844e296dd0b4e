package descent.data;

/**
 * A CIFAR-10 binary file (or archive) whose content is not valid: truncated, wrong record size,
 * a label outside 0-9, or a checksum mismatch. The message names the file and, where it applies, the
 * byte offset and the record; the same facts are available as fields.
 */
public class Cifar10FormatException extends IllegalArgumentException {

    private final String file;
    private final long byteOffset;
    private final long record;

    /**
     * @param file the file (or archive entry) at fault
     * @param byteOffset byte offset of the problem in the (uncompressed) file, or -1 if not applicable
     * @param record index of the record at fault, or -1 if not applicable
     * @param message what is wrong; the file is prepended
     */
    public Cifar10FormatException(String file, long byteOffset, long record, String message) {
        super(file + ": " + message);
        this.file = file;
        this.byteOffset = byteOffset;
        this.record = record;
    }

    /** The file (or archive entry) at fault. */
    public String file() {
        return file;
    }

    /** Byte offset of the problem in the uncompressed file, or -1. */
    public long byteOffset() {
        return byteOffset;
    }

    /** Index of the record at fault, or -1. */
    public long record() {
        return record;
    }
}
