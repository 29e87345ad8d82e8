package dev.fusionnode.config;

/** The node's rule for bind addresses: loopback unless configured otherwise. */
public final class BindAddresses {
    /** Default bind address of every listener. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private BindAddresses() {}

    /**
     * True for a loopback bind address: {@code localhost}, or a literal IPv4 address in 127.0.0.0/8
     * or IPv6 {@code ::1}. A name is not resolved ({@code 127.0.0.1.nip.io} is not loopback: it is
     * a name that anyone's DNS may point anywhere).
     */
    public static boolean loopback(String host) {
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return false;
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
