using System.Security.Cryptography;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Identity;

namespace Ashyq.Registry.Web.Features.Staff.Accounts;

/// <summary>Creating staff accounts and making passwords for them; shared by the accounts page and the create-staff verb.</summary>
public static class StaffAccounts
{
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    public static async Task<IdentityResult> CreateAsync(UserManager<StaffUser> users, string email, string password, bool admin, TimeProvider clock)
    {
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return created;
        return await users.AddToRoleAsync(user, admin ? StaffRoles.Admin : StaffRoles.Staff);
    }

    /// <summary>A random 20-character password of letters and digits, without look-alike characters.</summary>
    public static string GeneratePassword()
    {
        const string all = Lower + Upper + Digits;
        var chars = new char[20];
        chars[0] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[1] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        for (var i = 3; i < chars.Length; i++)
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
