package io.snkb.bridge.internal.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOffsetStoreTest {
    private static final PositionKey INCIDENT = PositionKey.records("dev", "incident");
    private static final PositionKey PROBLEM = PositionKey.records("dev", "problem");
    private static final Position FIRST = new Position(Instant.parse("2024-03-05T07:00:00Z"), "a1");
    private static final Position SECOND = new Position(Instant.parse("2024-03-05T07:00:01Z"), "b2");

    @TempDir
    Path dir;

    @Test
    void positionsSurviveReopening() {
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            assertThat(store.read(INCIDENT)).isEmpty();
            store.write(Map.of(INCIDENT, FIRST));
            store.write(Map.of(PROBLEM, SECOND));
        }
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            assertThat(store.read(INCIDENT)).contains(FIRST);
            assertThat(store.read(PROBLEM)).contains(SECOND);
        }
    }

    @Test
    void removedPositionsStayRemovedAfterReopening() {
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            store.write(Map.of(INCIDENT, FIRST, PROBLEM, SECOND));
            store.remove(java.util.List.of(INCIDENT, PositionKey.records("dev", "never_written")));
            assertThat(store.read(INCIDENT)).isEmpty();
        }
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            assertThat(store.read(INCIDENT)).isEmpty();
            assertThat(store.read(PROBLEM)).contains(SECOND);
        }
    }

    @Test
    void fileHoldsRawTimesKeyedByPositionKey() throws IOException {
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            store.write(Map.of(INCIDENT, FIRST));
        }
        String json = Files.readString(dir.resolve("positions.json"));
        assertThat(json).contains("\"dev/incident/records\"")
                .contains("\"updated_on\" : \"2024-03-05 07:00:00\"")
                .contains("\"sys_id\" : \"a1\"");
    }

    @Test
    void crashBeforeTheMoveLeavesTheLastStoredPositions() throws IOException {
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            store.write(Map.of(INCIDENT, FIRST));
        }
        // What a crash between writing the temporary file and moving it leaves behind.
        Path stray = dir.resolve("positions.json.123456.tmp");
        Files.writeString(stray, "{\"dev/incident/records\": {\"updated_on\": \"2030-01-01 00:00:00\", \"sys");

        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            assertThat(store.read(INCIDENT)).contains(FIRST);
        }
        assertThat(stray).doesNotExist();
    }

    @Test
    void secondStoreOnTheSameDirectoryFailsNamingTheHolder() {
        try (FileOffsetStore first = new FileOffsetStore(dir)) {
            first.open();
            FileOffsetStore second = new FileOffsetStore(dir);
            assertThatThrownBy(second::open)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            second.close();
        }
    }

    @Test
    void lockIsReleasedOnClose() {
        FileOffsetStore first = new FileOffsetStore(dir);
        first.open();
        first.write(Map.of(INCIDENT, FIRST));
        first.close();
        try (FileOffsetStore again = new FileOffsetStore(dir)) {
            again.open();
            assertThat(again.read(INCIDENT)).contains(FIRST);
        }
    }

    @Test
    void corruptFileIsAFatalErrorNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("positions.json"), "{\"dev/incident/records\": {\"updated_on\": ",
                StandardCharsets.UTF_8);
        FileOffsetStore store = new FileOffsetStore(dir);
        assertThatThrownBy(store::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Corrupt offset file")
                .hasMessageContaining(dir.resolve("positions.json").toString());
        // A failed open releases the lock, so a fixed file can be opened at once.
        Files.writeString(dir.resolve("positions.json"), "{}");
        try (FileOffsetStore fixed = new FileOffsetStore(dir)) {
            fixed.open();
            assertThat(fixed.read(INCIDENT)).isEmpty();
        }
    }

    @Test
    void entryWithBadTimeIsReportedAsCorrupt() throws IOException {
        Files.writeString(dir.resolve("positions.json"),
                "{\"dev/incident/records\": {\"updated_on\": \"05-03-2024 07:00:00\", \"sys_id\": \"a\"}}");
        assertThatThrownBy(() -> new FileOffsetStore(dir).open())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Corrupt offset file");
    }

    @Test
    void closingAnUnopenedStoreDoesNothing() {
        FileOffsetStore store = new FileOffsetStore(dir);
        store.close();
        assertThat(dir.resolve("positions.lock")).doesNotExist();
    }
}
