package dev.fusionnode.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The model and the trainer never use DJL's arithmetic with a {@code Number}: DJL wraps the number
 * in a tensor over a Java buffer and frees it after the op, while autograd keeps that tensor for
 * the backward (which then reads freed memory). They use {@code Ops.scalar} instead.
 */
class AutogradSafeArraysRuleTest {
    private static final Set<String> ARITHMETIC =
            Set.of(
                    "add", "addi", "sub", "subi", "mul", "muli", "div", "divi", "pow", "powi",
                    "maximum", "minimum", "mod", "modi", "rsub", "rsubi", "rdiv", "rdivi", "rmod",
                    "rmodi", "rpow", "rpowi");

    @Test
    void noNumberOperandsWhereAutogradRecords() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.fusionnode.model", "dev.fusionnode.training");
        noClasses()
                .should()
                .callMethodWhere(
                        DescribedPredicate.describe(
                                "an NDArray arithmetic method with a Number operand",
                                (JavaCall<?> call) ->
                                        call.getTarget().getOwner().isAssignableTo(NDArray.class)
                                                && ARITHMETIC.contains(call.getTarget().getName())
                                                && call.getTarget().getRawParameterTypes().stream()
                                                        .map(t -> t.getName())
                                                        .toList()
                                                        .equals(List.of("java.lang.Number"))))
                .because(
                        "DJL frees the wrapped number while autograd still holds it; use"
                                + " Ops.scalar(like, value)")
                .check(classes);
    }
}
