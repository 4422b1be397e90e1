using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ashyq.Registry.Scripts.Tests;

/// <summary>Runs the repository's own scripts as a user would, from the repository's root.</summary>
public static class Shell
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs a bash script to its end and returns its exit code and its output and errors together.</summary>
    public static async Task<Result> RunAsync(string script, TimeSpan timeout, IDictionary<string, string>? environment = null, params string[] arguments)
    {
        using var process = Start(script, environment, arguments);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{script}' ran longer than {timeout}: {output}");
        }
        process.WaitForExit();
        lock (output)
            return new Result(process.ExitCode, output.ToString());
    }

    /// <summary>Starts bash with the script in the repository's root; the caller reads its output.</summary>
    public static Process Start(string script, IDictionary<string, string>? environment = null, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", ["-c", script, "bash", .. arguments])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host runs under dotnet test, whose variables would steer a nested build or test run.
        foreach (var name in start.Environment.Keys.Where(IsInherited).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>Sends a signal to one process only, as a supervisor does.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static bool IsListening(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A folder named NAME (give it a space) inside a new temporary folder that, like one mktemp -d
    /// makes, only its owner may enter.
    /// </summary>
    public static string PrivateFolder(string name)
    {
        var parent = Directory.CreateTempSubdirectory("ashyq-scripts-");
        if (parent.UnixFileMode != (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
            throw new InvalidOperationException($"{parent.FullName} is open to others ({parent.UnixFileMode})");
        return Directory.CreateDirectory(Path.Combine(parent.FullName, name)).FullName;
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ashyq.Registry.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Ashyq.Registry.sln).");
    }
}
