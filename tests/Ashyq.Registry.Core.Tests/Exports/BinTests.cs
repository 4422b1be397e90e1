using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Exports;

public sealed class BinTests
{
    [Theory]
    [InlineData("960915300142")] // first weights give 2
    [InlineData("770123456783")]
    [InlineData("000000000101")] // first weights give 10; second weights give 1
    public void IsValid_WellFormedBin_IsTrue(string bin) => Assert.True(Bin.IsValid(bin));

    [Theory]
    [InlineData("960915300143")] // wrong check digit
    [InlineData("96091530014")] // eleven digits
    [InlineData("9609153001420")] // thirteen
    [InlineData("96091530014a")]
    [InlineData("000000002810")] // both weightings give 10: no BIN starts so
    public void IsValid_Malformed_IsFalse(string bin) => Assert.False(Bin.IsValid(bin));

    [Fact]
    public void Complete_AppendsTheCheckDigit() => Assert.Equal("960915300142", Bin.Complete("96091530014"));

    [Fact]
    public void Complete_WhenBothWeightingsGiveTen_IsNull() => Assert.Null(Bin.Complete("00000000281"));
}
