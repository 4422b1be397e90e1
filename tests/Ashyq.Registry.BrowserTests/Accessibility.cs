using System.Text.Json;
using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>Runs the axe accessibility scanner in a page, for WCAG 2.1 A and AA rules.</summary>
public static class Accessibility
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Violation(string Id, string Impact, string Help, int Nodes, string FirstTarget);

    public static async Task<IReadOnlyList<Violation>> ScanAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = SiteFixture.AxeScriptPath });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return JSON.stringify(result.violations.map(v => ({
                id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.length,
                firstTarget: v.nodes.length ? String(v.nodes[0].target) : '' })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, Json)!;
    }

    public static string Describe(IEnumerable<Violation> violations) =>
        string.Join("; ", violations.Select(v => $"{v.Id} ({v.Impact}, {v.Nodes}×, e.g. {v.FirstTarget}): {v.Help}"));
}
