using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Ashyq.Registry.Testing;

/// <summary>
/// A real mail server on a free loopback port (tests/Shared/smtp_sink.py, on Debian's python3-aiosmtpd):
/// each message it receives is a file in its folder, read back here as the message it was.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    /// <summary>The site's settings that send through this server.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Smtp:Host", "127.0.0.1"),
        new("Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Smtp:From", "registry@example.kz"),
    ];

    public static async Task<SmtpSink> StartAsync()
    {
        var port = FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "ashyq-smtp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Shared", "smtp_sink.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), folder },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The mail server did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "ready")
            throw new InvalidOperationException("The mail server did not start: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        return new SmtpSink(process, port, folder);
    }

    /// <summary>Every message received so far, in the order received.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages came (or the time is up), then gives them all.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Directory.GetFiles(Folder, "*.eml").Length < count && DateTime.UtcNow < until)
            await Task.Delay(100);
        return Messages();
    }

    public void Clear()
    {
        foreach (var file in Directory.GetFiles(Folder))
            File.Delete(file);
    }

    /// <summary>A loopback port nothing listens on (for a server that is down).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
                _process.Kill();
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }
}
