using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Core.Follows;

/// <summary>Mails a published week's changes to its followers; queued by the publish, after its commit.</summary>
public sealed class FollowMailJob(FollowMailing mailing)
{
    // The mailing makes its own attempts per email and leaves a failed week to the upkeep, so the job
    // itself is not run again (it would send nothing new before the server recovers).
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(DateOnly week, CancellationToken cancellationToken) => mailing.RunAsync(week, cancellationToken);

    /// <summary>
    /// Queues the week's mailing after the commit that requested it. The week is public whatever happens
    /// here: a job store that cannot take the job leaves the mailing to the upkeep, which finds it in the outbox.
    /// </summary>
    public static void TryQueue(IBackgroundJobClient? jobs, DateOnly week)
    {
        if (jobs is null)
            return;
        try
        {
            jobs.Enqueue<FollowMailJob>(job => job.RunAsync(week, CancellationToken.None));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing to undo: the outbox row was committed with the week.
        }
    }
}

/// <summary>Deletes follows left unconfirmed too long, and mails again any week whose mailing did not finish.</summary>
public sealed class FollowUpkeepJob(Follows follows, FollowMailing mailing)
{
    public const string Id = "follow-upkeep";

    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await follows.DeleteExpiredAsync(cancellationToken);
        foreach (var week in await mailing.PendingAsync(cancellationToken))
            await mailing.RunAsync(week, cancellationToken);
    }
}

public static class Extensions
{
    /// <summary>Following by email: its settings (Smtp:*, Follow:*), the mailer and the jobs.</summary>
    public static IServiceCollection AddFollows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<FollowOptions>()
            .Bind(configuration.GetSection(FollowOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Follows>();
        services.AddSingleton<FollowMailer>();
        services.AddSingleton<FollowMailing>();
        services.AddTransient<FollowMailJob>();
        services.AddTransient<FollowUpkeepJob>();
        return services;
    }
}
