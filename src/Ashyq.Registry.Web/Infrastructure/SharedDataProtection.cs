using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Data-protection keys kept in PostgreSQL under one application name, so that every web node on the
/// database reads the same key ring and accepts the cookies and anti-forgery tokens of the others.
/// </summary>
public static class SharedDataProtection
{
    public const string ApplicationName = "Ashyq.Registry";

    public static IServiceCollection AddRegistryDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<PostgresKeyRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<PostgresKeyRepository>((options, repository) => options.XmlRepository = repository);
        return services;
    }
}

/// <summary>The key ring in the data_protection_keys table; each key is one row of XML, never changed once written.</summary>
public sealed class PostgresKeyRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    // The interface is synchronous; the key ring is read rarely (at start and when it expires) and cached.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
            elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.Add(new() { Value = friendlyName });
        command.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
