namespace Ashyq.Registry.Core.Imports;

/// <summary>The rows of one load as they are counted: read, loaded, rejected, and the warnings.</summary>
internal sealed class LoadCounts
{
    public int Read;
    public int Loaded;
    public int Rejected;
    public int Warnings;
}
