namespace Ashyq.Registry.Core.Imports;

/// <summary>The import's files in its working folder, removed when done with whatever happened.</summary>
internal static class WorkFiles
{
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
