package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.auth.BasicTokenProvider;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNowClientTest {
    private final ServiceNowClient client = new ServiceNowClient("dev", URI.create("https://acme.example/"),
            Duration.ofSeconds(1), Duration.ofSeconds(1), new BasicTokenProvider("dev", "u", Secret.of("p")), "snkb");

    @Test
    void pageRequestAsksForRawValuesWithoutCountOrLinks() {
        URI uri = client.uri(new TableRead("incident", "sys_updated_on>=2024-03-05 07:00:00^ORDERBYsys_id",
                TableRead.withCursorFields(List.of("short_description", "sys_id")), 100));
        assertThat(uri.toString())
                .startsWith("https://acme.example/api/now/table/incident?sysparm_query=")
                .contains("sysparm_query=sys_updated_on%3E%3D2024-03-05%2007%3A00%3A00%5EORDERBYsys_id")
                .contains("&sysparm_limit=100")
                .contains("&sysparm_fields=short_description%2Csys_id%2Csys_updated_on%2Csys_mod_count"
                        + "%2Csys_created_on")
                .contains("&sysparm_display_value=false", "&sysparm_exclude_reference_link=true",
                        "&sysparm_no_count=true");
    }

    @Test
    void aVersionOneNoRecordFoundAnswerIsAnEmptyPage() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/now/table/incident", exchange -> {
            byte[] body = ("{\"error\":{\"message\":\"No Record found\",\"detail\":\"Records matching query"
                    + " not found. Check query parameter or offset parameter\"},\"status\":\"failure\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ServiceNowClient v1 = new ServiceNowClient("dev",
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), new BasicTokenProvider("dev", "u", Secret.of("p")), "snkb");

            assertThat(v1.read(new TableRead("incident", "ORDERBYsys_id", List.of(), 10))).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingTableIsStillFatal() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/now/table/", exchange -> {
            byte[] body = ("{\"error\":{\"message\":\"Invalid table nope\",\"detail\":null},"
                    + "\"status\":\"failure\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ServiceNowClient client404 = new ServiceNowClient("dev",
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), new BasicTokenProvider("dev", "u", Secret.of("p")), "snkb");

            assertThatThrownBy(() -> client404.read(new TableRead("nope", "ORDERBYsys_id", List.of(), 10)))
                    .isInstanceOf(FatalServiceNowException.class).hasMessageContaining("Invalid table nope");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void allFieldsMeansNoFieldParameter() {
        URI uri = client.uri(new TableRead("incident", "ORDERBYsys_id", TableRead.withCursorFields(List.of()), 5));
        assertThat(uri.toString()).doesNotContain("sysparm_fields");
    }
}
