using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Core;

/// <summary>A setting that must name a time zone this machine knows (Asia/Almaty), so that a typing mistake stops the start.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeZoneNameAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is string name && TimeZoneInfo.TryFindSystemTimeZoneById(name, out _)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.MemberName} '{value}' names no time zone known here; use an IANA name such as Asia/Almaty.",
                [validationContext.MemberName ?? ""]);
    }
}
