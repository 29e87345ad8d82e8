package dev.fusionnode.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The records of a PyTorch zip checkpoint under its archive folder: {@code data.pkl}, {@code
 * data/<key>}, {@code byteorder}. Refuses TorchScript archives and big-endian storages.
 */
final class PthArchive {
    private final ZipFile zip;
    private final String source;
    private final String prefix;

    private PthArchive(ZipFile zip, String source, String prefix) {
        this.zip = zip;
        this.source = source;
        this.prefix = prefix;
    }

    /** Finds {@code <archive>/data.pkl} and checks what kind of archive this is. */
    static PthArchive open(ZipFile zip, String source) throws IOException {
        String prefix = null;
        List<String> names = new ArrayList<>();
        for (var e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (names.size() < 5) {
                names.add(name);
            }
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                prefix = name.substring(0, slash + 1);
            }
        }
        if (prefix == null) {
            throw PthReader.bad(
                    source,
                    "a zip without <archive>/data.pkl, so not a PyTorch checkpoint (entries: "
                            + names
                            + ")",
                    null);
        }
        if (zip.getEntry(prefix + "constants.pkl") != null
                || hasEntryUnder(zip, prefix + "code/")) {
            throw PthReader.bad(
                    source,
                    "a TorchScript archive (torch.jit.save: it has code/ and constants.pkl), not a"
                            + " checkpoint of tensors; load it with DJL (Model.load) instead",
                    null);
        }
        PthArchive archive = new PthArchive(zip, source, prefix);
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null) {
            String o = new String(archive.read(order, order.getSize()), StandardCharsets.US_ASCII);
            if (!"little".equals(o.strip())) {
                throw PthReader.bad(
                        source,
                        "storages are '" + o.strip() + "'-endian; only little is read",
                        null);
            }
        }
        return archive;
    }

    private static boolean hasEntryUnder(ZipFile zip, String folder) {
        return zip.stream().anyMatch(e -> e.getName().startsWith(folder));
    }

    /** The pickle bytes. */
    byte[] readPickle() throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data.pkl");
        return read(e, e.getSize());
    }

    /** Reads storage {@code data/<key>}, checking its size against the persistent id. */
    Storage readStorage(TorchDType dtype, String key, long numel) {
        String name = prefix + "data/" + key;
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw PthReader.bad(source, "storage record " + name + " is missing", null);
        }
        long expected = numel * dtype.itemSize();
        if (numel < 0 || e.getSize() != expected) {
            throw PthReader.bad(
                    source,
                    String.format(
                            "storage record %s has %d bytes; %d %s elements need %d",
                            name, e.getSize(), numel, dtype.pythonName(), expected),
                    null);
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw PthReader.bad(
                    source, "storage " + name + " is larger than 2 GiB; not supported", null);
        }
        try {
            return new Storage(dtype, key, numel, PthReader.littleEndian(read(e, expected)));
        } catch (IOException ex) {
            throw PthReader.bad(source, "cannot read " + name + ": " + ex, ex);
        }
    }

    private byte[] read(ZipEntry e, long size) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) size);
            if (b.length != size) {
                throw PthReader.bad(
                        source,
                        "record " + e.getName() + " is cut short: " + b.length + " of " + size,
                        null);
            }
            return b;
        }
    }
}
