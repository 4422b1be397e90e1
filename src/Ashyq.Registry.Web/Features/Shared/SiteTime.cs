using System.Globalization;
using Ashyq.Registry.Core;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>
/// Moments as the site shows them: in the one time zone of the setting Registry:TimeZone (Almaty's by
/// default), with its offset from UTC beside each, so that no page shows a time without saying which.
/// </summary>
public sealed class SiteTime(IOptions<RegistryOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>"19 июля 2021, 12:33 (UTC+5)": a moment written out, for the public pages.</summary>
    public string Moment(DateTimeOffset at) => Format(at, "d MMMM yyyy, HH:mm");

    /// <summary>A moment in one of .NET's standard formats of the request's culture ("g", "G", "t"), with its offset.</summary>
    public string Format(DateTimeOffset at, string format)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        return $"{local.ToString(format, Wording.Culture)} ({Offset(local.Offset)})";
    }

    /// <summary>"UTC+5", "UTC+5:30", "UTC−3", "UTC".</summary>
    public static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
            return "UTC";
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}"
            : $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}:{abs.Minutes.ToString("00", CultureInfo.InvariantCulture)}";
    }
}
