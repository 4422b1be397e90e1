using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>Settings of staff sign-in, sessions and passwords, from the "Staff" configuration section.</summary>
public sealed class StaffSignInOptions : IValidatableObject
{
    public const string Section = "Staff";

    /// <summary>How long a session lasts from sign-in, however much it is used.</summary>
    [Range(1, 24)]
    public int SessionHours { get; set; } = 8;

    /// <summary>Sign-in attempts one client address may make in a window, whichever accounts it names.</summary>
    [Range(1, 100_000)]
    public int SignInPermitLimit { get; set; } = 10;

    [Range(10, 86_400)]
    public int SignInWindowSeconds { get; set; } = 900;

    /// <summary>Wrong passwords for one account, counted over <see cref="LockoutMinutes"/>, that pause its sign-in.</summary>
    [Range(2, 1_000_000)]
    public int LockoutFailures { get; set; } = 25;

    /// <summary>How long failures are counted, and how long sign-in to the account is then paused.</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(12, 64)]
    public int PasswordMinimumLength { get; set; } = 12;

    [Range(64, 1024)]
    public int PasswordMaximumLength { get; set; } = 128;

    /// <summary>
    /// The most sign-ins one address can try while an account's failures are counted: the windows of the
    /// limit by address that overlap the counting period, each with its full allowance.
    /// </summary>
    public long MostAttemptsFromOneAddress
    {
        get
        {
            var countingSeconds = LockoutMinutes * 60L;
            var windows = ((countingSeconds + SignInWindowSeconds - 1) / SignInWindowSeconds) + 1;
            return windows * SignInPermitLimit;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Otherwise one address, within its own limit, could pause any account it knows: a denial of
        // service handed to whoever learns a staff email.
        if (LockoutFailures <= MostAttemptsFromOneAddress)
        {
            yield return new ValidationResult(
                $"Staff:LockoutFailures ({LockoutFailures}) must be more than the {MostAttemptsFromOneAddress} sign-ins one address " +
                $"may try in {LockoutMinutes} minutes (Staff:SignInPermitLimit per Staff:SignInWindowSeconds), or one address could lock any account.",
                [nameof(LockoutFailures)]);
        }
        if (PasswordMaximumLength < PasswordMinimumLength)
            yield return new ValidationResult("Staff:PasswordMaximumLength must not be below Staff:PasswordMinimumLength.", [nameof(PasswordMaximumLength)]);
    }
}
