package io.github.netvirt.junit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables the deliberately failing inner classes only when {@link FailureTest} launches them. */
final class InnerOnly implements ExecutionCondition {
    static final String KEY = "netvirt.junit.inner";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(KEY).isPresent()
                ? ConditionEvaluationResult.enabled("launched by FailureTest")
                : ConditionEvaluationResult.disabled("only run from FailureTest");
    }
}
