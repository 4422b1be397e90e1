using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Ashyq.Registry.Core.Follows;

/// <summary>The mail server the follow emails go through, from the "Smtp" section. No host: no follow feature.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Smtp";

    /// <summary>The server's name or address; empty turns following off everywhere on the site.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>The sender's address (<c>registry@example.kz</c>), required with a host.</summary>
    public string? From { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// <c>auto</c>: none to a loopback server, StartTLS when the server offers it otherwise; <c>none</c>;
    /// <c>starttls</c> (required); <c>tls</c> (TLS from the first byte, as on port 465).
    /// </summary>
    [RegularExpression("^(auto|none|starttls|tls)$")]
    public string Security { get; set; } = "auto";

    /// <summary>How long one connection, command or answer may take before the send counts as failed.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public bool HostIsLoopback =>
        string.Equals(Host?.Trim(), "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host?.Trim(), out var address) && IPAddress.IsLoopback(address));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
            yield break;
        if (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From.Trim(), out _))
            yield return new ValidationResult("Smtp:From must be the sender's email address when Smtp:Host is set.", [nameof(From)]);
        if (!string.IsNullOrEmpty(User) && Password is null)
            yield return new ValidationResult("Smtp:Password is required with Smtp:User.", [nameof(Password)]);
    }
}

/// <summary>The limits of following by email, from the "Follow" section.</summary>
public sealed class FollowOptions
{
    public const string Section = "Follow";

    /// <summary>Days an unconfirmed follow waits for its confirmation before the upkeep deletes it.</summary>
    [Range(1, 90)]
    public int UnconfirmedDays { get; set; } = 7;

    /// <summary>Follow requests one client address may make per window, per node; then 429.</summary>
    [Range(1, 100000)]
    public int PermitLimit { get; set; } = 5;

    [Range(1, 86400)]
    public int WindowSeconds { get; set; } = 3600;

    /// <summary>Things one address may follow at once.</summary>
    [Range(1, 1000)]
    public int MaxFollowsPerAddress { get; set; } = 50;

    /// <summary>Attempts at sending one change email before it is recorded as failed for staff.</summary>
    [Range(1, 10)]
    public int SendAttempts { get; set; } = 3;

    /// <summary>The wait after a failed attempt, times the attempt's number.</summary>
    [Range(0, 600)]
    public int RetryDelaySeconds { get; set; } = 5;

    /// <summary>How often the upkeep deletes expired follows and sends what a week's mailing has not sent yet.</summary>
    [Range(1, 1440)]
    public int UpkeepMinutes { get; set; } = 15;

    /// <summary>How long after its publication a week's mailing is tried again by the upkeep while sends fail.</summary>
    [Range(1, 720)]
    public int MailingRetryHours { get; set; } = 48;

    /// <summary>The latest published weeks a category's or district's feed lists.</summary>
    [Range(1, 520)]
    public int FeedWeeks { get; set; } = 26;

    /// <summary>Businesses named per list in one email or feed entry; more are counted ("and 12 more").</summary>
    [Range(1, 500)]
    public int NamesPerChange { get; set; } = 20;
}
