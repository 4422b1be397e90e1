using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ashyq.Registry.Testing;

/// <summary>The import pipeline's services over a test database, with or without a running job server.</summary>
public static class PipelineHost
{
    public static IHost Build(string connectionString, bool runServer, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Registry"] = connectionString,
        };
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddRegistryData(builder.Configuration).AddImports().AddJobs(builder.Configuration, runServer);
        return builder.Build();
    }
}
