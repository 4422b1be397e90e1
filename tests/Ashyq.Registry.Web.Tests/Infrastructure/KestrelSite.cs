using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node on a real Kestrel socket at 127.0.0.1, and clients that connect from the loopback address they are given.</summary>
internal static class KestrelSite
{
    /// <summary>Starts the node on a free port of 127.0.0.1 and returns its address.</summary>
    public static Uri Start(RegistryNode node)
    {
        node.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        node.StartServer();
        var addresses = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>A browser-like client (cookies, no redirects followed) whose connections leave from <paramref name="local"/>, 127.0.0.2 for instance.</summary>
    public static HttpClient ClientFrom(IPAddress local, Uri site) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = site };

    /// <summary>Sends raw bytes to the node and reads its answer until it closes; for requests no HTTP client would send.</summary>
    public static async Task<string> SendRawAsync(Uri site, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(site.Host, site.Port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new System.Text.StringBuilder();
        var buffer = new byte[8192];
        try
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), timeout.Token);
            for (var read = await stream.ReadAsync(buffer, timeout.Token); read > 0; read = await stream.ReadAsync(buffer, timeout.Token))
                answer.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (IOException) when (answer.Length > 0)
        {
            // The node may reset a connection it refused once its answer is out.
        }
        return answer.ToString();
    }
}
