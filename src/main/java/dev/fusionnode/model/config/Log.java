package dev.fusionnode.model.config;

/**
 * The {@code Log} block.
 *
 * @param logdir folder for checkpoints, epoch JSON, test results and benchmarks (clft-spec §7.4),
 *     as written in the file
 */
public record Log(String logdir) {

    static Log from(JsonFields f) {
        return new Log(f.string("logdir"));
    }
}
