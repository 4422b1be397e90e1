namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// A Kazakhstan BIN or IIN: 12 digits whose last one is a check digit over the first eleven.
/// </summary>
public static class Bin
{
    private static readonly int[] FirstWeights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly int[] SecondWeights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

    /// <summary>The check digit for the first eleven digits, or null when no digit can make them valid.</summary>
    public static int? CheckDigit(ReadOnlySpan<char> firstEleven)
    {
        if (firstEleven.Length != 11)
            throw new ArgumentException("Eleven digits are needed.", nameof(firstEleven));
        var s = WeightedSum(firstEleven, FirstWeights) % 11;
        if (s == 10)
            s = WeightedSum(firstEleven, SecondWeights) % 11;
        return s == 10 ? null : s;
    }

    /// <summary>True when the text is exactly 12 digits with a valid check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> bin)
    {
        if (bin.Length != 12)
            return false;
        foreach (var c in bin)
        {
            if (c is < '0' or > '9')
                return false;
        }
        var check = CheckDigit(bin[..11]);
        return check is not null && bin[11] - '0' == check;
    }

    /// <summary>
    /// Completes eleven digits into a valid BIN, or returns null when those eleven digits admit none.
    /// Used by generators of demo and benchmark data.
    /// </summary>
    public static string? Complete(string firstEleven) =>
        CheckDigit(firstEleven) is { } digit ? firstEleven + (char)('0' + digit) : null;

    private static int WeightedSum(ReadOnlySpan<char> digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < 11; i++)
            sum += weights[i] * (digits[i] - '0');
        return sum;
    }
}
