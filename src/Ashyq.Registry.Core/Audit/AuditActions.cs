namespace Ashyq.Registry.Core.Audit;

/// <summary>
/// Every action code the audit log can hold. The staff pages keep a sentence for each in each language,
/// and the log refuses a code not listed here, so that a new action cannot reach the page without its text.
/// </summary>
public static class AuditActions
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "staff.sign-in",
        "staff.sign-in-failed",
        "staff.sign-in-locked-out",
        "staff.sign-in-refused-disabled",
        "staff.sign-out",
        "account.create",
        "account.disable",
        "account.enable",
        "account.password-change",
        "account.reset-password",
        "account.role",
        "alias.add",
        "alias.remove",
        "import.upload",
        "import.load",
        "import.retry",
        "week.publish",
        "week.withdraw",
        "week.replace",
        "week.discard",
        "reply.publish",
        "reply.reject",
        "review.open",
        "review.close",
    };
}
