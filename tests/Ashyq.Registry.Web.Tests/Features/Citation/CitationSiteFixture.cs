using System.Security.Cryptography;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Citation;

/// <summary>
/// A site whose weeks were loaded from files the tests keep, so that what the site says of them (when each
/// was published, the SHA-256 of its file) can be checked against the files themselves:
/// <list type="bullet">
/// <item>2021-07-05: Leader L, Outsider O, Participant I (an individual, listed under an IIN).</item>
/// <item>2021-07-12: L outsider, I leader; O gone.</item>
/// <item>2021-07-19: L leader, then withdrawn.</item>
/// </list>
/// </summary>
public sealed class CitationSiteFixture : LoadedSiteFixture
{
    public static readonly string L = ExportBuilder.BinFor(301);
    public static readonly string O = ExportBuilder.BinFor(302);
    public static readonly string I = ExportBuilder.IinFor(303);

    /// <summary>The bytes of each week's file, as uploaded.</summary>
    public Dictionary<string, byte[]> Files { get; } = [];

    protected override async Task LoadWeeksAsync()
    {
        await LoadKept("2021-07-05", new ExportBuilder()
            .Row(L, "лидер", "Кафе «Дастархан»", scans: 900)
            .Row(O, "аутсайдер", "Столовая «Нан»", scans: 4)
            .Row(I, "участник", "ИП Сейтова", "Салон красоты", "Бостандыкский", scans: 300));
        await LoadKept("2021-07-12", new ExportBuilder()
            .Row(L, "аутсайдер", "Кафе «Дастархан»", scans: 8)
            .Row(I, "лидер", "ИП Сейтова", "Салон красоты", "Бостандыкский", scans: 800));
        await LoadKept("2021-07-19", new ExportBuilder().Row(L, "лидер", "Кафе «Дастархан»", scans: 950));
        await Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 7, 19), "test", "файл за другую неделю");
    }

    /// <summary>Loads and publishes a week, keeping its file's bytes.</summary>
    private Task LoadKept(string week, ExportBuilder file)
    {
        var bytes = file.ToBytes();
        Files[week] = bytes;
        return Load(week, bytes);
    }

    /// <summary>The SHA-256 of the week's file, worked out here from its bytes.</summary>
    public string Sha256(string week) => Convert.ToHexStringLower(SHA256.HashData(Files[week]));

    /// <summary>When the week was published, as the database holds it.</summary>
    public async Task<DateTimeOffset> PublishedAtAsync(string week)
    {
        await using var connection = new NpgsqlConnection(Site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT published_at FROM weeks WHERE week_start = $1", connection);
        command.Parameters.Add(new() { Value = DateOnly.ParseExact(week, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        return (DateTimeOffset)(DateTime)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The rows of a reference table: each code with its names in ru, kk and en.</summary>
    public async Task<IReadOnlyList<(string Code, string Ru, string Kk, string En)>> ReferenceAsync(string table)
    {
        await using var connection = new NpgsqlConnection(Site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT code, name_ru, name_kk, name_en FROM {table} ORDER BY code", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return rows;
    }
}
