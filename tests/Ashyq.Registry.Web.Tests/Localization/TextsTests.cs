using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Http;

namespace Ashyq.Registry.Web.Tests.Localization;

public sealed class TextsTests
{
    [Fact]
    public void EveryText_HasAllThreeLanguages()
    {
        var texts = new Texts();

        Assert.NotEmpty(texts.Keys);
        foreach (var key in texts.Keys)
            Assert.All(Languages.All, language => Assert.False(string.IsNullOrWhiteSpace(texts.Get(key, language)), key));
    }

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
