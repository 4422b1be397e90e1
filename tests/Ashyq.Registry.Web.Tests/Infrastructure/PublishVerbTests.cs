using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// The command line publishes under the staff area's checks: the review's warnings are confirmed by
/// name, and under the second-person rule the account that loaded a week publishes it only by saying so.
/// Each test runs the built site binary against a database of its own.
/// </summary>
public sealed class PublishVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ashyq-publish-verb").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Publish_AWeekThatLostMostOfItsParticipants_IsRefusedNamingTheWarning_UntilConfirmed_AndTheAuditNamesIt()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("publishverb");
        await LoadAndPublishAsync(connectionString, "2021-07-12", Week(10));
        var small = await WriteAsync("small.csv", Week(1));
        Assert.Equal(0, (await Verb.RunAsync(connectionString, "import", small, "--week", "2021-07-19")).ExitCode);

        var refused = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19");
        var statusAfterRefusal = await StatusAsync(connectionString, "2021-07-19");
        var confirmed = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19", "--confirm-warnings");

        Assert.True(refused.ExitCode == 1, refused.Output);
        Assert.Contains("participants: 10 in the latest published week, 1 now (-90 %", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("--confirm-warnings", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(WeekStatuses.Draft, statusAfterRefusal);
        Assert.True(confirmed.ExitCode == 0, confirmed.Output);
        Assert.Equal(WeekStatuses.Published, await StatusAsync(connectionString, "2021-07-19"));
        Assert.Contains("confirmed warnings: change:participants", await PublishDetailsAsync(connectionString, "2021-07-19"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportWithPublish_AWeekWithWarnings_IsLoadedButNotPublished_AndTheJsonSummarySaysSo()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("publishverb");
        await LoadAndPublishAsync(connectionString, "2021-07-12", Week(10));
        var small = await WriteAsync("small.csv", Week(1));

        var run = await Verb.RunAsync(connectionString, "import", small, "--week", "2021-07-19", "--publish", "--json");

        Assert.True(run.ExitCode == 1, run.Output);
        using var summary = System.Text.Json.JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("loaded", summary.RootElement.GetProperty("state").GetString());
        Assert.False(summary.RootElement.GetProperty("published").GetBoolean());
        Assert.Contains("participants:", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(WeekStatuses.Draft, await StatusAsync(connectionString, "2021-07-19"));
    }

    [Fact]
    public async Task Publish_UnderTheSecondPersonRule_TheAccountThatLoadedTheWeek_PublishesItOnlyWithOwnUpload_AndTheAuditSaysSo()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("publishverb");
        var rule = new Dictionary<string, string> { ["Publishing__RequireSecondPerson"] = "true" };
        var file = await WriteAsync("week.csv", Week(3));
        Assert.Equal(0, (await Verb.RunAsync(connectionString, rule, "import", file, "--week", "2021-07-19")).ExitCode);

        var refused = await Verb.RunAsync(connectionString, rule, "publish", "--week", "2021-07-19");
        var statusAfterRefusal = await StatusAsync(connectionString, "2021-07-19");
        var own = await Verb.RunAsync(connectionString, rule, "publish", "--week", "2021-07-19", "--own-upload");

        Assert.True(refused.ExitCode == 1, refused.Output);
        Assert.Contains("Publishing__RequireSecondPerson", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains($"cli:{Environment.UserName}", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(WeekStatuses.Draft, statusAfterRefusal);
        Assert.True(own.ExitCode == 0, own.Output);
        Assert.Contains("overriding the second-person rule", await PublishDetailsAsync(connectionString, "2021-07-19"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WithoutTheRule_AndNoWarnings_NeedsNoFlag()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("publishverb");
        var file = await WriteAsync("week.csv", Week(3));
        Assert.Equal(0, (await Verb.RunAsync(connectionString, "import", file, "--week", "2021-07-19")).ExitCode);

        var run = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Null(await PublishDetailsAsync(connectionString, "2021-07-19"));
    }

    [Theory]
    [InlineData("--confirm-warnings")]
    [InlineData("--own-upload")]
    public async Task Import_ConfirmationsWithoutPublish_AreAUsageError(string flag)
    {
        var file = await WriteAsync("week.csv", Week(1));

        var run = await Verb.RunAsync("Host=127.0.0.1;Port=1", "import", file, "--week", "2021-07-19", flag);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("go with --publish", run.StandardError, StringComparison.Ordinal);
    }

    private static byte[] Week(int businesses)
    {
        var builder = new ExportBuilder();
        for (var i = 1; i <= businesses; i++)
            builder.Row(ExportBuilder.BinFor(i), i == 1 ? "лидер" : "участник");
        return builder.ToBytes();
    }

    private async Task<string> WriteAsync(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    private async Task LoadAndPublishAsync(string connectionString, string week, byte[] content)
    {
        var file = await WriteAsync($"{week}.csv", content);
        var run = await Verb.RunAsync(connectionString, "import", file, "--week", week, "--publish");
        Assert.True(run.ExitCode == 0, run.Output);
    }

    private static async Task<string?> StatusAsync(string connectionString, string week)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1::date", connection);
        command.Parameters.Add(new() { Value = week });
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<string?> PublishDetailsAsync(string connectionString, string week)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT details FROM audit_log WHERE action = 'week.publish' AND subject = $1 ORDER BY id DESC LIMIT 1", connection);
        command.Parameters.Add(new() { Value = week });
        return await command.ExecuteScalarAsync() as string;
    }
}
