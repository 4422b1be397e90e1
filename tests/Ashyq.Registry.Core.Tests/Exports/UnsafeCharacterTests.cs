using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Exports;

public sealed class UnsafeCharacterTests
{
    [Theory]
    [InlineData("Кафе\u000BЗвезда", "КафеЗвезда", 1)]
    [InlineData("\0Кафе\u0001\u001F", "Кафе", 3)]
    [InlineData("Кафе\u007F\u0085\u009F", "Кафе", 3)]
    [InlineData("Кафе\uFFFE\uFFFF", "Кафе", 2)]
    public void Remove_UnsafeCharacters_AreTakenOutAndCounted(string text, string expected, int count)
    {
        Assert.True(TextNormalizer.HasUnsafeCharacters(text));

        var clean = TextNormalizer.RemoveUnsafeCharacters(text, out var removed);

        Assert.Equal(expected, clean);
        Assert.Equal(count, removed);
        Assert.False(TextNormalizer.HasUnsafeCharacters(clean));
    }

    [Fact]
    public void Remove_SurrogateWithoutItsPair_IsTakenOut_APairStays()
    {
        // Built here: an attribute's strings are stored as UTF-8, which cannot hold a lone surrogate.
        var lone = "Кафе " + '\uD83D' + " и " + '\uDE00';
        var pair = "Кафе \uD83D\uDE00";

        Assert.Equal("Кафе  и ", TextNormalizer.RemoveUnsafeCharacters(lone, out var removed));
        Assert.Equal(2, removed);
        Assert.Same(pair, TextNormalizer.RemoveUnsafeCharacters(pair));
    }

    [Theory]
    [InlineData("Кафе «Достар»")]
    [InlineData("Кафе\tДостар\r\nвторая строка")]
    [InlineData("Кафе 😀 Жұлдыз")]
    [InlineData("")]
    public void Remove_SafeText_IsTheSameString(string text)
    {
        Assert.False(TextNormalizer.HasUnsafeCharacters(text));
        Assert.Same(text, TextNormalizer.RemoveUnsafeCharacters(text));
    }
}
