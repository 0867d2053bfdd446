package io.snkb.bridge.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {

    private static Map<String, String> linked(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aRowIsTheMapOfItsFieldsInOrderWithNullDistinctFromEmpty() {
        Row row = new Row.Builder().put("sys_id", "a1").put("active", "").put("closed_at", null).build();

        assertThat(row).isEqualTo(linked("sys_id", "a1", "active", "", "closed_at", null));
        assertThat(row.hashCode()).isEqualTo(linked("sys_id", "a1", "active", "", "closed_at", null).hashCode());
        assertThat(row.keySet()).containsExactly("sys_id", "active", "closed_at");
        assertThat(row.get("closed_at")).isNull();
        assertThat(row.containsKey("closed_at")).isTrue();
        assertThat(row.get("missing")).isNull();
        assertThat(row.containsKey("missing")).isFalse();
        assertThat(row.get("active")).isEmpty();
    }

    @Test
    void rowsBuiltOneAfterTheOtherKeepTheirOwnFieldsWhetherTheyNameTheSameOrOthers() {
        Row.Builder builder = new Row.Builder();
        Row first = builder.put("sys_id", "1").put("state", "2").build();
        Row second = builder.put("sys_id", "2").put("state", "7").build();
        Row third = builder.put("state", "3").put("sys_id", "3").put("extra", "x").build();
        Row fourth = builder.build();

        assertThat(first).isEqualTo(Map.of("sys_id", "1", "state", "2"));
        assertThat(second).isEqualTo(Map.of("sys_id", "2", "state", "7"));
        assertThat(third.keySet()).containsExactly("state", "sys_id", "extra");
        assertThat(third.get("sys_id")).isEqualTo("3");
        assertThat(fourth).isEmpty();
    }

    @Test
    void aFieldPutTwiceKeepsItsFirstPlaceAndLastValueAsALinkedHashMapWould() {
        Row row = new Row.Builder().put("a", "1").put("b", "2").put("a", "3").build();

        assertThat(row).isEqualTo(linked("a", "3", "b", "2"));
        assertThat(row.keySet()).containsExactly("a", "b");
    }

    @Test
    void aRowCannotBeChanged() {
        Row row = Row.copyOf(linked("a", "1"));

        assertThatThrownBy(() -> row.put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(row).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void aCopyOfARowIsTheRowItselfAndAChangeEventKeepsIt() {
        Row row = new Row.Builder().put("sys_id", "1").build();
        ChangeEvent event = new ChangeEvent(ChangeEvent.Op.CREATE, "1", row,
                new ChangeEvent.SourceInfo("dev", "incident", null, null, "poll"), java.time.Instant.EPOCH);

        assertThat(Row.copyOf(row)).isSameAs(row);
        assertThat(event.after()).isSameAs(row);
        Map<String, String> mutable = linked("sys_id", "2");
        ChangeEvent copied = new ChangeEvent(ChangeEvent.Op.CREATE, "2", mutable,
                new ChangeEvent.SourceInfo("dev", "incident", null, null, "poll"), java.time.Instant.EPOCH);
        mutable.put("sys_id", "changed later");
        assertThat(copied.after()).containsEntry("sys_id", "2");
        assertThat(List.copyOf(copied.after().values())).containsExactly("2");
    }
}
