using Microsoft.AspNetCore.Identity;

namespace Ashyq.Registry.Core.Data;

public sealed class StaffUser : IdentityUser
{
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
