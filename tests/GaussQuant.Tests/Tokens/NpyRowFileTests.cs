using GaussQuant.Tests.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Tokens;

public class NpyRowFileTests
{
    [Fact]
    public void RowsWrittenInPiecesReadBackWholeAndInPieces()
    {
        using var folder = new TemporaryFolder();
        string path = folder["rows.npy"];
        using (var writer = new NpyRowWriter<long>(path, [2, 2], maxRows: 100_000))
        {
            writer.Append([0, 1, 2, 3]);
            writer.Append([4, 5, 6, 7, 8, 9, 10, 11]);
            Assert.False(File.Exists(path));
            writer.Commit();
        }
        var array = NpyFile.Read(path);
        Assert.Equal(new long[] { 3, 2, 2 }, array.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(value => (long)value), array.ToArray<long>());
        Assert.Equal(new[] { "rows.npy" }, folder.Files());

        using var reader = new NpyRowReader(path);
        Assert.Equal(3, reader.Rows);
        Assert.Equal(4, reader.RowLength);
        Assert.Equal(new long[] { 4, 5, 6, 7, 8, 9, 10, 11 }, reader.ReadRows<long>(1, 2));
        Assert.Throws<InvalidDataException>(() => reader.ReadRows<float>(0, 1));
        Assert.Throws<ArgumentException>(() => reader.ReadRows<long>(2, 2));
    }

    [Fact]
    public void AnUncommittedWriterLeavesNothingAndRowsMustBeWhole()
    {
        using var folder = new TemporaryFolder();
        using (var writer = new NpyRowWriter<long>(folder["rows.npy"], [3], maxRows: 2))
        {
            Assert.Throws<ArgumentException>(() => writer.Append([1, 2]));
            writer.Append([1, 2, 3, 4, 5, 6]);
            Assert.Throws<InvalidOperationException>(() => writer.Append([7, 8, 9]));
        }
        Assert.Empty(folder.Files());
    }
}
