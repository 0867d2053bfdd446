package io.snkb.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds and checks TCP ports on the loopback address. Stateless and thread-safe.
 *
 * <p>A port found free can be taken by another process before the broker binds it; callers that asked
 * for any free port therefore retry with fresh ports when the broker fails to bind.
 */
final class FreePorts {

    static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /** A port the operating system just handed out on 127.0.0.1 and that nothing listens on now. */
    static int any() {
        try (ServerSocket socket = bind(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + LOOPBACK, e);
        }
    }

    /** Whether something on this machine listens on {@code port} of 127.0.0.1 already. */
    static boolean isTaken(int port) {
        try (ServerSocket ignored = bind(port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // Without SO_REUSEADDR a port in TIME_WAIT from an earlier broker of this JVM would look taken.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
