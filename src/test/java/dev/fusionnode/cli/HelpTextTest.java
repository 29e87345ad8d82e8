package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code --help} of every command reads as full sentences: each command's description is made
 * of sentences (the first one is its summary in the command list), every option says what it does
 * in a sentence, and an option with a default value shows it.
 */
class HelpTextTest {
    private static void collect(CommandLine cl, List<CommandSpec> out) {
        out.add(cl.getCommandSpec());
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    private static List<CommandSpec> commands() {
        List<CommandSpec> out = new ArrayList<>();
        collect(new CommandLine(new FusionNode()), out);
        return out;
    }

    private static boolean sentence(String s) {
        String t = s.strip();
        boolean starts =
                !t.isEmpty()
                        && (Character.isUpperCase(t.codePointAt(0))
                                || t.startsWith("--")
                                || t.startsWith("."));
        return starts && (t.endsWith(".") || t.endsWith(".)"));
    }

    @Test
    void everyCommandDescriptionIsSentences() {
        List<String> bad = new ArrayList<>();
        for (CommandSpec c : commands()) {
            if (c.userObject() instanceof CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            String[] d = c.usageMessage().description();
            if (d.length == 0) {
                bad.add(c.qualifiedName() + ": no description");
            }
            for (String line : d) {
                if (!sentence(line)) {
                    bad.add(c.qualifiedName() + ": \"" + line + "\"");
                }
            }
        }
        assertThat(bad).as("command descriptions that are not full sentences").isEmpty();
    }

    @Test
    void everyOptionIsASentenceAndShowsItsDefault() {
        List<String> bad = new ArrayList<>();
        for (CommandSpec c : commands()) {
            for (OptionSpec o : c.options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String text = String.join(" ", o.description());
                String name = c.qualifiedName() + " " + o.longestName();
                if (!sentence(text)) {
                    bad.add(name + ": \"" + text + "\"");
                }
                boolean flag = o.arity().max() == 0;
                if (o.defaultValue() != null && !flag && !text.contains("default")) {
                    bad.add(name + ": default " + o.defaultValue() + " not shown");
                }
            }
        }
        assertThat(bad).as("options whose help is not a sentence or hides the default").isEmpty();
    }
}
