package io.snkb.bridge.internal.offsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.RetriableException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps positions in {@code positions.json} inside one directory, as a JSON object that maps
 * {@link PositionKey#asString()} to {@code {"updated_on": "yyyy-MM-dd HH:mm:ss", "sys_id": ".."}}.
 *
 * <p>Every {@link #write} rewrites the whole file: it goes to a temporary file in the same directory,
 * is forced to disk, atomically moved over {@code positions.json}, and the directory is forced too.
 * A crash before the move leaves the previous file intact (the stray temporary file is removed on the
 * next open); a crash after it leaves the new one.
 *
 * <p>{@code positions.lock} is locked for the store's lifetime and names its holder (pid and host), so a
 * second store on the same directory, in this process or another, fails to open.
 *
 * <p>Thread-safe. The engine that opens it closes it.
 */
public final class FileOffsetStore implements OffsetStore {
    static final String FILE_NAME = "positions.json";
    static final String LOCK_NAME = "positions.lock";
    static final String TEMP_PREFIX = FILE_NAME + ".";
    static final String TEMP_SUFFIX = ".tmp";

    private static final Logger LOG = LoggerFactory.getLogger(FileOffsetStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path directory;
    private final Path file;
    private static final Comparator<PositionKey> BY_TEXT = Comparator.comparing(PositionKey::asString);

    private final TreeMap<PositionKey, Position> positions = new TreeMap<>(BY_TEXT);
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean closed;

    public FileOffsetStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.file = this.directory.resolve(FILE_NAME);
    }

    /**
     * Creates the directory if needed, takes the lock and loads the file. Throws
     * {@link IllegalStateException} naming the holder when the store is in use, or naming the file when it
     * cannot be read.
     */
    @Override
    public synchronized void open() {
        if (lock != null || closed) {
            throw new IllegalStateException("File offset store " + directory + " was already opened");
        }
        try {
            Files.createDirectories(directory);
            acquireLock();
            removeStrayTempFiles();
            positions.putAll(load());
            LOG.info("Opened offset store {} with {} positions", file, positions.size());
        } catch (IOException e) {
            releaseLock();
            throw new IllegalStateException("Cannot open the offset store in " + directory + ": " + e, e);
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    @Override
    public synchronized Optional<Position> read(PositionKey key) {
        requireOpen();
        return Optional.ofNullable(positions.get(key));
    }

    @Override
    public synchronized void write(Map<PositionKey, Position> updates) {
        requireOpen();
        Map<PositionKey, Position> next = new TreeMap<>(BY_TEXT);
        next.putAll(positions);
        next.putAll(updates);
        try {
            replaceFile(serialize(next));
        } catch (IOException e) {
            throw new RetriableException("Cannot write positions to " + file + ": " + e, e);
        }
        // Only now is the new state durable; a failed write leaves memory and disk as they were.
        positions.clear();
        positions.putAll(next);
    }

    @Override
    public synchronized void remove(Collection<PositionKey> keys) {
        requireOpen();
        Map<PositionKey, Position> next = new TreeMap<>(BY_TEXT);
        next.putAll(positions);
        keys.forEach(next::remove);
        if (next.size() == positions.size()) {
            return;
        }
        try {
            replaceFile(serialize(next));
        } catch (IOException e) {
            throw new RetriableException("Cannot remove positions from " + file + ": " + e, e);
        }
        positions.clear();
        positions.putAll(next);
    }

    @Override
    public synchronized void close() {
        closed = true;
        releaseLock();
    }

    /** The directory holding the files. */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "FileOffsetStore[" + directory + "]";
    }

    private void acquireLock() throws IOException {
        Path lockFile = directory.resolve(LOCK_NAME);
        // No TRUNCATE_EXISTING: the holder's name must survive until the lock is ours.
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw inUse(lockFile, "another store in this JVM (" + holderOf(lockFile) + ")");
        }
        if (acquired == null) {
            channel.close();
            throw inUse(lockFile, holderOf(lockFile));
        }
        lockChannel = channel;
        lock = acquired;
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holderName().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    private IllegalStateException inUse(Path lockFile, String holder) {
        return new IllegalStateException("Offset store " + directory + " is in use by " + holder
                + " (lock file " + lockFile + "); only one engine may use it at a time");
    }

    private static String holderOf(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "an unnamed holder" : text;
        } catch (IOException e) {
            return "an unknown holder";
        }
    }

    private static String holderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return "pid " + ProcessHandle.current().pid() + " on host " + host;
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("Could not release the lock of offset store {}: {}", directory, e.toString());
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    private void removeStrayTempFiles() throws IOException {
        try (DirectoryStream<Path> strays = Files.newDirectoryStream(directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path stray : strays) {
                LOG.info("Removing {} left by an interrupted write; {} still holds the last stored positions",
                        stray.getFileName(), FILE_NAME);
                Files.deleteIfExists(stray);
            }
        }
    }

    private Map<PositionKey, Position> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        try {
            return parse(MAPPER.readTree(bytes));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("Corrupt offset file " + file + ": " + firstLine(e)
                    + ". Restore it from a backup, or delete it to read every table again from the beginning", e);
        }
    }

    private static Map<PositionKey, Position> parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the top level is not a JSON object");
        }
        Map<PositionKey, Position> parsed = new TreeMap<>(BY_TEXT);
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode value = entry.getValue();
            if (!value.path("updated_on").isTextual() || !value.path("sys_id").isTextual()) {
                throw new IllegalArgumentException("entry '" + entry.getKey() + "' lacks updated_on or sys_id");
            }
            parsed.put(PositionKey.parse(entry.getKey()),
                    new Position(ServiceNowTime.parse(value.get("updated_on").asText()), value.get("sys_id").asText()));
        }
        return parsed;
    }

    private static byte[] serialize(Map<PositionKey, Position> positions) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        positions.forEach((key, position) -> root.putObject(key.asString())
                .put("updated_on", ServiceNowTime.format(position.updatedOn()))
                .put("sys_id", position.sysId()));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private void replaceFile(byte[] content) throws IOException {
        Path temp = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory();
    }

    /** Makes the rename itself durable; some systems refuse to open a directory, which then must do. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Directory {} cannot be forced here: {}", directory, e.toString());
        }
    }

    private void requireOpen() {
        if (lock == null) {
            throw new IllegalStateException("File offset store " + directory + " is not open");
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}
