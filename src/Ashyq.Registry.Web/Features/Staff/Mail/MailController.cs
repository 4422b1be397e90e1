using Ashyq.Registry.Core.Follows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Mail;

public sealed record MailFailure(DateTimeOffset FailedAt, string Purpose, DateOnly? Week, int Attempts, string Address, string Error);

public sealed record PendingMailing(DateOnly Week, DateTimeOffset RequestedAt);

public sealed record MailPage(bool Configured, long Followers, long Confirmed, long Unconfirmed, IReadOnlyList<PendingMailing> Pending,
    IReadOnlyList<MailFailure> Failures);

/// <summary>The follow emails as staff see them: who follows (in numbers), weeks not yet fully mailed, and sends that failed.</summary>
[Route("staff/mail")]
public sealed class MailController(NpgsqlDataSource dataSource, IOptions<SmtpOptions> smtp) : StaffController
{
    public const int ShownFailures = 100;

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var cancellationToken = HttpContext.RequestAborted;
        long followers, confirmed, unconfirmed;
        await using (var counts = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM followers),
                   (SELECT count(*) FROM follows WHERE confirmed_at IS NOT NULL),
                   (SELECT count(*) FROM follows WHERE confirmed_at IS NULL)
            """))
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (followers, confirmed, unconfirmed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var pending = new List<PendingMailing>();
        await using (var command = dataSource.CreateCommand("SELECT week_start, requested_at FROM follow_mailings WHERE done_at IS NULL ORDER BY week_start DESC LIMIT 20"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                pending.Add(new PendingMailing(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        var failures = new List<MailFailure>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT f.failed_at, f.purpose, f.week_start, f.attempts, p.email, f.error
            FROM follow_mail_failures f LEFT JOIN followers p ON p.id = f.follower_id
            ORDER BY f.failed_at DESC, f.id DESC LIMIT {ShownFailures}
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                failures.Add(new MailFailure(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? "—" : Masked(reader.GetString(4)), reader.GetString(5)));
            }
        }
        return View(new MailPage(smtp.Value.IsConfigured, followers, confirmed, unconfirmed, pending, failures));
    }

    /// <summary>Enough of an address to tell two apart, not enough to write to it: "a•••@example.kz".</summary>
    public static string Masked(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "•••" : email[..1] + "•••" + email[at..];
    }
}
