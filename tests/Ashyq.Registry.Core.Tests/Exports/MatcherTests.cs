using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Exports;

public sealed class MatcherTests
{
    [Theory]
    [InlineData("  Ёлка   в\u00A0ЛЕСУ ", "елка в лесу")]
    [InlineData("Қызмет Түрі", "қызмет түрі")]
    [InlineData("", "")]
    public void Fold_LowersReadsYoAsYeTrimsAndSinglesSpaces(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.Fold(text));

    [Theory]
    [InlineData("Кафе", "catering")]
    [InlineData("  КАФЕ ", "catering")]
    [InlineData("Кафе \"Достар\"", "catering")]
    [InlineData("Сеть кофеен и кафе", "catering")]
    [InlineData("Фитнес-клуб «Алау»", "fitness")]
    [InlineData("Торгово-развлекательный центр Mega", "markets")]
    [InlineData("ТРЦ Dostyk Plaza", "markets")]
    [InlineData("Детский оздоровительный центр", "children")]
    [InlineData("Тренажёрный зал", "fitness")]
    [InlineData("Қонақ үйлер", "hotels")]
    [InlineData("Бар-ресторан", "catering")]
    public void Match_AliasExactOrAsAWholeWord_GivesItsCategory(string text, string expected) =>
        Assert.Equal(expected, ExportTestFiles.Categories.Match(text));

    [Theory]
    [InlineData("Барбершоп", "beauty")] // not the alias «бар» inside a longer word
    [InlineData("Кинотеатр Арман", "leisure")] // «кинотеатр», not «театр» inside it
    public void Match_AliasInsideALongerWord_DoesNotCount(string text, string expected) =>
        Assert.Equal(expected, ExportTestFiles.Categories.Match(text));

    [Theory]
    [InlineData("Шаштараз")]
    [InlineData("Ателье")]
    [InlineData("Барная стойка")]
    [InlineData("")]
    public void Match_NoAlias_IsNull(string text) => Assert.Null(ExportTestFiles.Categories.Match(text));

    [Fact]
    public void Match_TwoAliasesInTheText_PrefersTheLongest()
    {
        var matcher = new CategoryMatcher([("центр", "other"), ("торговый центр", "markets"), ("детский центр", "children")]);

        Assert.Equal("markets", matcher.Match("Большой торговый центр"));
        Assert.Equal("children", matcher.Match("детский центр при ТЦ"));
    }

    [Fact]
    public void Match_AliasesAreFoldedWhenGiven()
    {
        var matcher = new CategoryMatcher([("  Шаштараз ", "beauty")]);

        Assert.Equal("beauty", matcher.Match("ШАШТАРАЗ «Сымбат»"));
    }

    [Theory]
    [InlineData("Алатауский", "alatau")]
    [InlineData("Алмалы ауданы", "almaly")]
    [InlineData("Ауэзовский район", "auezov")]
    [InlineData("Әуезов", "auezov")]
    [InlineData("БОСТАНДЫҚ АУДАНЫ", "bostandyk")]
    [InlineData("Bostandyk district", "bostandyk")]
    [InlineData("Жетісу", "zhetysu")]
    [InlineData("Жетысуский", "zhetysu")]
    [InlineData("medeu", "medeu")]
    [InlineData(" Наурызбайский  район ", "nauryzbay")]
    [InlineData("Nauryzbay District", "nauryzbay")]
    [InlineData("Түрксіб", "turksib")]
    [InlineData("Турксибский", "turksib")]
    public void DistrictMatch_AnySpellingOfTheContract_GivesTheCode(string text, string expected) =>
        Assert.Equal(expected, DistrictMatcher.Match(text));

    [Theory]
    [InlineData("Ленинский")]
    [InlineData("район")]
    [InlineData("Медеу район район")]
    [InlineData("")]
    public void DistrictMatch_Unknown_IsNull(string text) => Assert.Null(DistrictMatcher.Match(text));
}

public sealed class TextNormalizerTests
{
    [Fact]
    public void Fold_EveryRussianAndKazakhLetter_LowersAsTheInvariantCultureDoes()
    {
        for (var c = '\u0000'; c < '\u0600'; c++)
        {
            if (char.IsWhiteSpace(c) || c == 'Ё' || c == 'ё')
                continue;
            var expected = char.ToLowerInvariant(c).ToString();
            Assert.True(expected == TextNormalizer.Fold(c.ToString()), $"U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData("  Қызмет   ТҮРІ ", "қызмет түрі")]
    [InlineData("ЁЛКА ёлка", "елка елка")]
    [InlineData("Әуезов\u00A0ауданы", "әуезов ауданы")]
    [InlineData("leader", "leader")]
    public void Fold_TrimsCollapsesAndReadsYoAsYe(string text, string expected) => Assert.Equal(expected, TextNormalizer.Fold(text));
}
