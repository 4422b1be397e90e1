using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Data-protection keys kept in PostgreSQL under one application name, so that every web node on the
/// database reads the same key ring and accepts the cookies and anti-forgery tokens of the others.
/// The keys are rows of data_protection_keys, one key's XML each, through the registry's own context.
/// </summary>
public static class SharedDataProtection
{
    public const string ApplicationName = "Ashyq.Registry";

    public static IServiceCollection AddRegistryDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<RegistryDbContext>();
        return services;
    }
}
