using System.Net;
using System.Net.Sockets;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// The key under which a client is counted by the site's rate limits (the API's and sign-in's). The address is
/// the connection's, which is the visitor's own behind a trusted proxy (ForwardedHeaders). An IPv6 client is
/// counted by its /64 network, the block one subscriber is usually given, so that it cannot start afresh with
/// each address; an IPv4 address seen as IPv6 counts as the IPv4 address.
/// </summary>
public static class ClientAddresses
{
    public static string Key(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
