using Ashyq.Registry.Web;
using Ashyq.Registry.Web.Cli;

if (CommandLine.IsVerb(args))
    return await CommandLine.RunAsync(args);

var app = RegistryWebApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
