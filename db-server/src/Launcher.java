import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Starts the embedded MongoDB-wire server for development and tests.
 *
 * Usage: Launcher [--host 127.0.0.1] [--port 0] [--file path/to/db.mv] [--fsync]
 * Without --file the memory backend is used. Prints "LISTENING host:port" once bound.
 * Exits when its standard input closes, so it never outlives the Node process that started it.
 *
 * Durability (H2 file): the MVStore would only write its changes about once a second in the background, so
 * a kill -9 lost writes that had already been answered. Here every write command is committed to the file
 * before its answer goes out (group commit: one MVStore commit covers every write finished before it), so a
 * killed process loses nothing it acknowledged. With --fsync the commit is also forced to the disk (power
 * loss); without it the written chunk sits in the OS page cache, which survives the death of this process.
 *
 * Retention: deleting a document leaves its bytes in old chunks of the open file (online compaction moves
 * chunks but does not wipe freed blocks). So the file is compacted offline at every start: only live data is
 * copied to a new file, and what retention deleted is gone from the disk once the server has restarted.
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

    /** Commands that change data: answered only after the change is in the file. */
    private static final Set<String> WRITES = Set.of(
        "insert", "update", "delete", "findandmodify", "createindexes", "create", "drop", "dropdatabase",
        "dropindexes", "renamecollection");

    /** H2 backend whose write commands are durable when answered. */
    static final class DurableH2Backend extends H2Backend {
        private final MVStore store;
        private final boolean fsync;
        private final Object counter = new Object();
        private final Object gate = new Object();
        private long finished;
        private long committed;

        DurableH2Backend(MVStore store, boolean fsync) {
            super(store);
            this.store = store;
            this.fsync = fsync;
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            Document answer = super.handleCommand(channel, database, command, query);
            if (WRITES.contains(command.toLowerCase())) makeDurable();
            return answer;
        }

        /**
         * Group commit: a write numbers itself once done; the first writer through the gate commits everything
         * finished so far, and writers it covered return without committing again.
         */
        private void makeDurable() {
            long mine;
            synchronized (counter) {
                mine = ++finished;
            }
            synchronized (gate) {
                if (committed >= mine) return;
                long upTo;
                synchronized (counter) {
                    upTo = finished;
                }
                // -1 means another store operation ran; with no background writer that is only a concurrent
                // close, but never answer before our version is in the file.
                while (store.hasUnsavedChanges() && store.commit() < 0) Thread.onSpinWait();
                if (fsync) store.sync();
                committed = upTo;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        String file = null;
        boolean fsync = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--file" -> file = args[++i];
                case "--fsync" -> fsync = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        MongoBackend backend;
        if (file == null) {
            backend = new MemoryBackend();
        } else {
            // Offline compaction copies only live data: what retention deleted is gone from the file after a restart.
            MVStoreTool.compactCleanUp(file);
            if (new File(file).length() > 0) MVStoreTool.compact(file, false);
            // No background writer: a commit skipped while the auto-committer stored an older version lost
            // acknowledged writes (commit() returns -1 when another store operation is running). Every commit
            // is now ours, synchronous, under the group-commit gate.
            MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
            backend = new DurableH2Backend(store, fsync);
        }
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
