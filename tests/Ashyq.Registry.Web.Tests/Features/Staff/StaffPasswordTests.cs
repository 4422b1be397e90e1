using System.Net;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Staff.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Which passwords a staff account may have: length over composition, pass-phrases welcome, common ones refused.</summary>
public sealed class StaffPasswordTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Password1234", StaffPasswordRules.Common)]
    [InlineData("password1234", StaffPasswordRules.Common)]
    [InlineData("PASSWORD 1234!", StaffPasswordRules.Common)]
    [InlineData("qwerty123456", StaffPasswordRules.Common)]
    [InlineData("123456789012", StaffPasswordRules.Common)]
    [InlineData("1qaz2wsx3edc", StaffPasswordRules.Common)]
    [InlineData("Пароль123456", StaffPasswordRules.Common)]
    [InlineData("2021Almaty2021", StaffPasswordRules.Common)]
    [InlineData("aaaaaaaaaaaa", StaffPasswordRules.Common)]
    [InlineData("abcabcabcabc", StaffPasswordRules.Common)]
    [InlineData("Correct Horse Battery Staple", StaffPasswordRules.Common)]
    [InlineData("Eleven char", StaffPasswordRules.TooShort)]
    [InlineData("            ", StaffPasswordRules.TooShort)]
    [InlineData("dauren@ashyq.local", StaffPasswordRules.Personal)]
    [InlineData("Dauren2021!!", StaffPasswordRules.Personal)]
    public async Task Create_RefusesAWeakPassword(string password, string code)
    {
        var result = await CreateAsync("dauren@ashyq.local", password);

        Assert.False(result.Succeeded);
        Assert.Equal(code, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("жасыл алма ағашы гүлдеді")]
    [InlineData("горы над алматы в снегу")]
    [InlineData("mañana será otro día")]
    [InlineData("t9#kLm2@xQ4z")]
    [InlineData("all lower case words here")]
    [InlineData("Quiet-Monday-2021")]
    public async Task Create_AcceptsPassPhrasesAndAnyCharacters_WithoutCompositionRules(string password)
    {
        var result = await CreateAsync($"user{Math.Abs(password.GetHashCode(StringComparison.Ordinal))}@ashyq.local", password);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Code)));
    }

    [Fact]
    public async Task Create_PasswordOverTheLongestAllowed_IsRefused()
    {
        var result = await CreateAsync("long@ashyq.local", string.Join(' ', Enumerable.Repeat("snow-peak", 13)));

        Assert.Equal(StaffPasswordRules.TooLong, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void CommonPasswords_TheListShipsWithSomeHundredsOfEntries()
    {
        Assert.InRange(CommonPasswords.Count, 500, 10_000);
    }

    [Fact]
    public async Task ChangePassword_ToACommonOne_IsRefusedWithItsReason_InEachLanguage()
    {
        using var session = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var texts = new Dictionary<string, string>
        {
            ["en"] = "commonly used",
            ["ru"] = "самых распространённых",
            ["kk"] = "ең көп таралғандардың",
        };

        foreach (var (language, expected) in texts)
        {
            var response = await session.PostFormAsync($"/staff/account/password?lang={language}", "/staff/account/password", new()
            {
                ["CurrentPassword"] = StaffSession.Password,
                ["NewPassword"] = "Password1234",
                ["ConfirmPassword"] = "Password1234",
            });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=password-problem]")!.TextContent, StringComparison.Ordinal);
        }
        using var again = StaffSession.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync("aigerim@ashyq.local", StaffSession.Password)).StatusCode);
    }

    private async Task<IdentityResult> CreateAsync(string email, string password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await StaffAccounts.CreateAsync(users, email, password, admin: false, TimeProvider.System);
    }
}
