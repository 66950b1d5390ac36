using GaussQuant.Distributed;

namespace GaussQuant.Tests.Distributed;

public class PeriodicAgreementTests
{
    /// <summary>Rank <c>rank</c> of a job of two whose peers are all fine; counts the agreements it takes part in.</summary>
    private sealed class CountingRank(int rank) : ICommunicator
    {
        public int Agreements { get; private set; }

        public int Rank => rank;

        public int Size => 2;

        public void AllReduceSum(Span<long> values) => Agreements++;

        public void Barrier() => throw new NotSupportedException();

        public void AllReduceSum(Span<float> values) => throw new NotSupportedException();

        public void AllReduceSum(Span<double> values) => throw new NotSupportedException();

        public void Broadcast(Span<byte> values, int root = 0) => throw new NotSupportedException();

        public byte[][]? Gather(byte[] values, int root = 0) => throw new NotSupportedException();

        public void Abort(int exitCode) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    [Theory]
    [InlineData(130, 130)]
    [InlineData(130, 60)]
    [InlineData(130, 0)]
    public void EveryRankAgreesAsOftenWhateverItsBlock(int longestBlock, int ownBlock)
    {
        var rank = new CountingRank(1);
        var agreement = new PeriodicAgreement(rank, longestBlock, interval: 32);
        for (int done = 4; done <= ownBlock; done += 4)
            agreement.Reached(done);
        int beforeFinish = rank.Agreements;
        agreement.Finish();

        Assert.Equal(Math.Min(ownBlock, 130) / 32, beforeFinish);
        Assert.Equal(130 / 32, rank.Agreements);
    }

    [Fact]
    public void BatchesThatJumpPastSeveralPointsAgreeAtEach()
    {
        var rank = new CountingRank(0);
        var agreement = new PeriodicAgreement(rank, 100, interval: 10);
        agreement.Reached(35);
        Assert.Equal(3, rank.Agreements);
    }
}
