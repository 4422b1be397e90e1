using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// JSON as the site writes it: UTF-8 as it is, so that Cyrillic and Kazakh letters read as themselves
/// rather than as \uXXXX escapes, while the characters HTML treats specially (&lt; &gt; &amp; ' ") are
/// still escaped, so that an answer pasted into a page cannot open a tag.
/// </summary>
public static class PublicJson
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Numbers are written and read as numbers only. The web defaults also read them from strings, which the
    /// API document then has to describe as "integer or string"; the API reads no JSON, so nothing is lost.
    /// </summary>
    public const System.Text.Json.Serialization.JsonNumberHandling NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;

    /// <summary>The web defaults (camelCase names) with that encoder, for JSON written outside MVC's formatter.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = Encoder, NumberHandling = NumberHandling };
}
