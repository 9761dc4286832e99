import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Starts the embedded MongoDB-wire server for development and tests.
 *
 * Usage: Launcher [--host 127.0.0.1] [--port 0] [--file path/to/db.mv]
 * Without --file the memory backend is used. Prints "LISTENING host:port" once bound.
 * Exits when its standard input closes, so it never outlives the Node process that started it.
 */
public final class Launcher {
    /** Node driver 7 refuses servers below wire version 9 (MongoDB 4.4); the library reports 8 by default. */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--file" -> file = args[++i];
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        MongoBackend backend = file == null ? new MemoryBackend() : new H2Backend(file);
        backend.version(MONGO_4_4);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address;
        try {
            server.bind(host, port);
            address = server.getLocalAddress();
        } catch (RuntimeException e) {
            System.err.println("cannot bind " + host + ":" + port + ": " + e.getMessage());
            backend.close();
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            backend.close();
        }, "shutdown"));
        System.out.println("LISTENING " + address.getHostString() + ":" + address.getPort());
        System.out.flush();

        InputStream in = System.in;
        byte[] buffer = new byte[64];
        while (in.read(buffer) >= 0) {
            // Nothing is expected on stdin; EOF means the parent is gone.
        }
        System.exit(0);
    }
}
