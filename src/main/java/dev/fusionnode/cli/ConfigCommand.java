package dev.fusionnode.cli;

import dev.fusionnode.config.ConfigEntry;
import dev.fusionnode.config.ConfigException;
import dev.fusionnode.node.NodeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node config}: prints the effective configuration (defaults, the file and the
 * environment overrides applied, secrets masked) with where each value came from, and validates it.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Print the effective configuration and check it.",
            "Every key is printed with its value (defaults, the file and FUSIONNODE_ environment"
                    + " overrides applied; passwords and tokens shown as ***) and where the value"
                    + " came from.",
            "An invalid configuration, or a FUSIONNODE_ variable that names no key, is reported"
                    + " with the key and the reason, and the exit code is 2."
        })
final class ConfigCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/node.json",
            description = "The config file to check (default: ${DEFAULT-VALUE}).")
    Path config;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        return print(config, System.getenv());
    }

    /** Prints the effective configuration of {@code file}; 0 when valid, 2 when not. */
    static int print(Path file, Map<String, String> env) {
        NodeOptions.Effective effective;
        try {
            effective = NodeOptions.loadEffective(file, env);
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        List<ConfigEntry> values =
                effective.entries().stream()
                        .filter(e -> e.kind() != ConfigEntry.Kind.BLOCK)
                        .toList();
        int width = values.stream().mapToInt(e -> e.key().length()).max().orElse(0);
        int valueWidth =
                Math.min(40, values.stream().mapToInt(e -> e.shown().length()).max().orElse(0));
        System.out.println("# effective configuration of " + file + " (key, value, source)");
        for (ConfigEntry e : values) {
            System.out.printf(
                    "%-" + width + "s  %-" + valueWidth + "s  %s%n",
                    e.key(),
                    e.shown(),
                    e.source());
        }
        long fromFile = values.stream().filter(e -> e.source().equals(file.toString())).count();
        long fromEnv = values.stream().filter(e -> e.source().startsWith("environment")).count();
        System.out.printf(
                "# valid: %d keys, %d from the file, %d from the environment, the rest defaults%n",
                values.size(), fromFile, fromEnv);
        return 0;
    }
}
