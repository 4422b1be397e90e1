using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Ashyq.Registry.Core.Follows;

/// <summary>Sends the follow emails through the configured server (Smtp:*), as plain text.</summary>
public sealed class FollowMailer(IOptions<SmtpOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    /// <param name="unsubscribeUrl">Given for every email but the confirmation: it is then offered in one click (RFC 8058).</param>
    public MimeMessage Compose(string to, string subject, string body, string? unsubscribeUrl)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From!.Trim()));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        if (unsubscribeUrl is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var security = settings.Security switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => settings.HostIsLoopback ? SecureSocketOptions.None : SecureSocketOptions.StartTlsWhenAvailable,
        };
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host!.Trim(), settings.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
