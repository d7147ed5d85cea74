package io.github.netvirt.junit.audit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables the user suites of this package only when {@link Launch} runs them. */
final class AuditOnly implements ExecutionCondition {
    static final String KEY = "netvirt.junit.audit";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(KEY).isPresent()
                ? ConditionEvaluationResult.enabled("launched by the audit")
                : ConditionEvaluationResult.disabled("only run from the audit");
    }
}
