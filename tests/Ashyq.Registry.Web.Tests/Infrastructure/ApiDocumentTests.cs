using System.Diagnostics;
using System.Text.Json;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// The API document describes exactly what the site does: it passes the linter the project checks it with,
/// names every operation, types counts as numbers, states the limits of its parameters, and the live answers
/// of a site with a published week have the properties, types and media types it promises.
/// </summary>
public sealed class ApiDocumentTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Week = "2021-07-19";
    private static readonly string Leader = ExportBuilder.BinFor(1);
    private RegistryNode _node = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        // The address a deployment names; on a local run the document names the request's host, which the linter rightly questions.
        var settings = new Dictionary<string, string?>(RegistryNode.Unlimited) { ["Registry:PublicBaseUrl"] = "https://registry.almaty.kz" };
        _node = new RegistryNode(await TestCluster.CreateDatabaseAsync("apidoc"), settings);
        var export = new ExportBuilder();
        for (var n = 1; n <= 12; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 3 ? "лидер" : n <= 5 ? "аутсайдер" : n == 6 ? "исключён" : "участник");
        await _node.ImportAsync(export.ToBytes(), Week);
        using var document = JsonDocument.Parse(await _node.CreateClient().GetStringAsync("/openapi/v1.json"));
        _document = document.RootElement.Clone();
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task Document_PassesTheProjectsLinter()
    {
        var linter = Path.Combine(TestCluster.RepositoryRoot, "tests", "api-lint", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(linter), $"The API linter is not installed at {linter}; scripts/install-test-deps.sh installs it.");
        var file = Path.Combine(Path.GetTempPath(), $"ashyq-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, _document.GetRawText());
        try
        {
            var start = new ProcessStartInfo(linter)
            {
                ArgumentList = { "lint", file, "--config", Path.Combine(TestCluster.RepositoryRoot, "tests", "api-lint", "redocly.yaml"), "--format=stylish" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.Combine(TestCluster.RepositoryRoot, "tests", "api-lint"),
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var said = await output + await errors;
            Assert.True(lint.ExitCode == 0, said);
            Assert.DoesNotMatch(@"\d+:\d+\s+warning\s", said);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Document_EveryOperation_HasItsOwnIdAndSummary_AndApiErrorsAreProblemDocuments()
    {
        var ids = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            ids.Add(operation.GetProperty("operationId").GetString()!);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path}");
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] == '4'))
            {
                if (!path.StartsWith("/api/", StringComparison.Ordinal) || !response.Value.TryGetProperty("content", out var content))
                    continue;
                Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
            }
            if (path.StartsWith("/api/", StringComparison.Ordinal))
                Assert.True(operation.GetProperty("responses").TryGetProperty("429", out _), $"{path} says nothing of the rate limit");
        }
        Assert.Equal(8, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Document_NoNumberIsAlsoAString_ParametersAreNamedAsTheSiteReadsThem_AndTheirLimitsAreStated()
    {
        foreach (var type in Walk(_document).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Array))
        {
            var names = type.GetProperty("type").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.False(names.Contains("string") && (names.Contains("integer") || names.Contains("number")), type.GetRawText());
        }
        foreach (var (path, _, operation) in Operations())
        {
            foreach (var parameter in operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : default)
            {
                var name = parameter.GetProperty("name").GetString()!;
                Assert.True(char.IsLower(name[0]), $"{path}: {name}");
                Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()), $"{path}: {name} has no description");
            }
        }
        var pageSize = Operations().Single(o => o.Path == "/api/v1/lists/{kind}").Operation.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "pageSize").GetProperty("schema");
        Assert.Equal(1, pageSize.GetProperty("minimum").GetInt32());
        Assert.Equal(500, pageSize.GetProperty("maximum").GetInt32());
        Assert.Equal("CC BY 4.0", _document.GetProperty("info").GetProperty("license").GetProperty("name").GetString());
        Assert.All(_document.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
    }

    [Theory]
    [InlineData("/api/v1/weeks", "/api/v1/weeks", "200")]
    [InlineData("/api/v1/weeks/2021-07-19", "/api/v1/weeks/{weekStart}", "200")]
    [InlineData("/api/v1/weeks/2021-07-20", "/api/v1/weeks/{weekStart}", "301")]
    [InlineData("/api/v1/weeks/19.07.2021", "/api/v1/weeks/{weekStart}", "400")]
    [InlineData("/api/v1/lists/outsiders?week=2021-07-21", "/api/v1/lists/{kind}", "301")]
    [InlineData("/api/v1/weeks/2021-07-26", "/api/v1/weeks/{weekStart}", "404")]
    [InlineData("/api/v1/lists/leaders?week=2021-07-19&pageSize=2", "/api/v1/lists/{kind}", "200")]
    [InlineData("/api/v1/lists/exclusions", "/api/v1/lists/{kind}", "200")]
    [InlineData("/api/v1/lists/nobody", "/api/v1/lists/{kind}", "404")]
    [InlineData("/api/v1/businesses/{leader}", "/api/v1/businesses/{bin}", "200")]
    [InlineData("/api/v1/businesses/123", "/api/v1/businesses/{bin}", "400")]
    public async Task LiveJsonAnswer_HasExactlyThePropertiesAndTypesItsSchemaPromises(string address, string path, string status)
    {
        var response = await _node.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(address.Replace("{leader}", Leader, StringComparison.Ordinal));

        Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var answer = Operations().Single(o => o.Path == path).Operation.GetProperty("responses").GetProperty(status);
        if (status[0] == '3')
        {
            Assert.Contains("2021-07-19", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            return;
        }
        var documented = answer.GetProperty("content");
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        Assert.True(documented.TryGetProperty(mediaType, out var media), $"{address} answered {mediaType}, not documented");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var failures = new List<string>();
        Check(body.RootElement, media.GetProperty("schema"), "$", failures);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("/lists/leaders.csv", "/lists/{kind}.{format}")]
    [InlineData("/lists/excluded.xlsx", "/lists/{kind}.{format}")]
    [InlineData("/lists/participants.json", "/lists/{kind}.{format}")]
    [InlineData("/feed.atom", "/feed.atom")]
    [InlineData("/business/{leader}/feed.atom", "/business/{bin}/feed.atom")]
    [InlineData("/business/{leader}/badge.svg", "/business/{bin}/badge.svg")]
    public async Task LiveFile_IsOfAMediaTypeItsOperationNames(string address, string path)
    {
        var response = await _node.CreateClient().GetAsync(address.Replace("{leader}", Leader, StringComparison.Ordinal));

        Assert.Equal(200, (int)response.StatusCode);
        var documented = Operations().Single(o => o.Path == path).Operation.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(documented.TryGetProperty(response.Content.Headers.ContentType!.MediaType!, out _),
            $"{address} answered {response.Content.Headers.ContentType}, not documented");
    }

    [Theory]
    [InlineData("/lists/leaders.csv")]
    [InlineData("/lists/excluded.xlsx")]
    public async Task LiveDownload_CarriesTheProvenanceHeadersItsOperationDocuments(string address)
    {
        var response = await _node.CreateClient().GetAsync(address);

        var documented = Operations().Single(o => o.Path == "/lists/{kind}.{format}").Operation
            .GetProperty("responses").GetProperty("200").GetProperty("headers").EnumerateObject().Select(h => h.Name).ToList();
        Assert.Equal(["Ashyq-Week", "Ashyq-Published-At", "Ashyq-Source-Sha256"], documented);
        Assert.All(documented, name => Assert.True(response.Headers.Contains(name), $"{address} has no {name}"));
        Assert.Equal(Week, response.Headers.GetValues("Ashyq-Week").Single());
    }

    [Theory]
    [InlineData("/business/1/badge.svg", "400")]
    [InlineData("/business/{unknown}/badge.svg", "404")]
    public async Task LiveBadgeRefusal_IsAnImageOfTheMediaTypeItsOperationNames(string address, string status)
    {
        var response = await _node.CreateClient().GetAsync(address.Replace("{unknown}", ExportBuilder.BinFor(999), StringComparison.Ordinal));

        Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var documented = Operations().Single(o => o.Path == "/business/{bin}/badge.svg").Operation.GetProperty("responses").GetProperty(status).GetProperty("content");
        Assert.True(documented.TryGetProperty(response.Content.Headers.ContentType!.MediaType!, out _),
            $"{address} answered {response.Content.Headers.ContentType}, not documented");
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    private static IEnumerable<JsonElement> Walk(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Walk))
            yield return child;
    }

    /// <summary>The value against its schema: types, every required property present, no property the schema does not name.</summary>
    private void Check(JsonElement value, JsonElement schema, string at, List<string> failures)
    {
        schema = Resolve(schema);
        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (!schema.TryGetProperty(choice, out var branches))
                continue;
            var tries = branches.EnumerateArray().Select(b =>
            {
                var found = new List<string>();
                Check(value, b, at, found);
                return found;
            }).ToList();
            if (tries.All(t => t.Count > 0))
                failures.AddRange(tries.SelectMany(t => t));
            return;
        }
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        var actual = value.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Array => "array",
            _ => "object",
        };
        if (types.Count > 0 && !types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
        {
            failures.Add($"{at}: {actual}, documented {string.Join(" or ", types)}");
            return;
        }
        if (actual == "array" && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
                Check(item, items, $"{at}[{i++}]", failures);
        }
        if (actual != "object" || !schema.TryGetProperty("properties", out var properties))
            return;
        foreach (var required in schema.TryGetProperty("required", out var list) ? list.EnumerateArray() : default)
        {
            if (!value.TryGetProperty(required.GetString()!, out _))
                failures.Add($"{at}.{required.GetString()}: required, missing");
        }
        foreach (var property in value.EnumerateObject())
        {
            if (properties.TryGetProperty(property.Name, out var propertySchema))
                Check(property.Value, propertySchema, $"{at}.{property.Name}", failures);
            else if (!schema.TryGetProperty("additionalProperties", out _))
                failures.Add($"{at}.{property.Name}: not in the document");
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/components/schemas/".Length..];
            schema = _document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }
}
