using System.Text;
using System.Xml;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Web.Features.Feeds;

public sealed record AtomEntry(string Id, string Title, string Summary, string Link, DateTimeOffset Updated);

/// <summary>
/// Writes an Atom 1.0 feed (RFC 4287). Every text passes the registry's character rule on the way out:
/// rows stored before the rule was applied at import may still hold a control character XML forbids.
/// </summary>
public static class AtomFeed
{
    private const string Namespace = "http://www.w3.org/2005/Atom";

    public static byte[] Write(string id, string title, string author, string selfLink, string alternateLink, string language, IReadOnlyList<AtomEntry> entries)
    {
        using var bytes = new MemoryStream();
        using (var xml = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Namespace);
            xml.WriteAttributeString("xml", "lang", null, language);
            xml.WriteElementString("id", Namespace, Safe(id));
            xml.WriteElementString("title", Namespace, Safe(title));
            xml.WriteElementString("updated", Namespace, Timestamp(entries.Count > 0 ? entries.Max(e => e.Updated) : DateTimeOffset.UnixEpoch));
            WriteLink(xml, "self", selfLink, "application/atom+xml");
            WriteLink(xml, "alternate", alternateLink, "text/html");
            xml.WriteStartElement("author", Namespace);
            xml.WriteElementString("name", Namespace, Safe(author));
            xml.WriteEndElement();
            foreach (var entry in entries)
            {
                xml.WriteStartElement("entry", Namespace);
                xml.WriteElementString("id", Namespace, Safe(entry.Id));
                xml.WriteElementString("title", Namespace, Safe(entry.Title));
                xml.WriteElementString("updated", Namespace, Timestamp(entry.Updated));
                WriteLink(xml, "alternate", entry.Link, "text/html");
                xml.WriteStartElement("summary", Namespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Safe(entry.Summary));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return bytes.ToArray();
    }

    private static void WriteLink(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Namespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", Safe(href));
        xml.WriteEndElement();
    }

    private static string Safe(string text) => TextNormalizer.RemoveUnsafeCharacters(text);

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
