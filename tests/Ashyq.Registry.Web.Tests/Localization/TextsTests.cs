using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Http;

namespace Ashyq.Registry.Web.Tests.Localization;

public sealed class TextsTests
{
    [Fact]
    public void TheSitesOwnTexts_Load()
    {
        Assert.True(new Texts().Keys.Count > 100);
    }

    [Fact]
    public void Load_AKeyLackingALanguage_IsRefused_NamingKeyAndLanguage()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Texts.Load([File("a.texts.json", """{ "x.y": { "ru": "Да", "kk": " ", "en": "Yes" } }""")]));

        Assert.Contains("'x.y'", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("lacks kk.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AKeyDefinedInTwoFiles_IsRefused()
    {
        const string text = """{ "x.y": { "ru": "Да", "kk": "Иә", "en": "Yes" } }""";

        var failure = Assert.Throws<InvalidOperationException>(() => Texts.Load([File("a.texts.json", text), File("b.texts.json", text)]));

        Assert.Contains("defined twice (again in b.texts.json)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AKeyDefinedTwiceInOneFile_IsRefused_NamingFileAndKey()
    {
        const string text = """
            {
              "x.y": { "ru": "Да", "kk": "Иә", "en": "Yes" },
              "x.y": { "ru": "Нет", "kk": "Жоқ", "en": "No" }
            }
            """;

        var failure = Assert.Throws<InvalidOperationException>(() => Texts.Load([File("a.texts.json", text)]));

        Assert.Equal("a.texts.json: the key 'x.y' is written twice in it.", failure.Message);
    }

    private static (string, Func<Stream>) File(string name, string json) =>
        (name, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Switch_KeepsPathAndQuery_ReplacingLang()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/leaders";
        context.Request.QueryString = new QueryString("?week=2021-07-19&lang=ru&q=%D0%BA%D0%B0%D1%84%D0%B5");

        var link = LanguageLinks.Switch(context.Request, "kk");

        Assert.Equal("/leaders?week=2021-07-19&q=%D0%BA%D0%B0%D1%84%D0%B5&lang=kk", link);
    }
}
