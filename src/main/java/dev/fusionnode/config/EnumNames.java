package dev.fusionnode.config;

import java.util.Arrays;
import java.util.Locale;

/** Enum constants by their lower-case names, as configs and command lines write them. */
public final class EnumNames {
    private EnumNames() {}

    /** The name of {@code e} as config files write it: lower case, '-' for '_'. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} named {@code name} (case-insensitive, '-' for '_').
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "'"
                        + name
                        + "' is not one of "
                        + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
}
