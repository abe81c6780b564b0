#!/usr/bin/python3
"""A Python client of segmenter_server: proves the v1 API works from outside
C++. Run with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf)
and the stubs the build generates:

  /usr/bin/python3 tests/interop/segment_client.py --target 127.0.0.1:50051 \
      --stubs build/tests/py --report ../shared/corpus/pingluo-2023.txt

Exits 0 when every check passes, 1 with a message on the first that fails.
"""
import argparse
import sys


def check(condition, message):
    if not condition:
        print(f"segment_client: FAIL: {message}", file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--stubs", required=True,
                        help="directory with the generated reportpipe/v1 "
                        "modules")
    parser.add_argument("--report", required=True, help="a report .txt file")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc
    from reportpipe.v1 import report_pb2, segmenter_pb2, segmenter_pb2_grpc
    from reportpipe.v1 import receipt_pb2, stats_pb2, stats_pb2_grpc

    with open(args.report, "rb") as f:
        text = f.read()
    with grpc.insecure_channel(args.target) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        segmenter = segmenter_pb2_grpc.SegmenterStub(channel)

        good = report_pb2.Report(id="pingluo", text=text)
        response = segmenter.Segment(
            segmenter_pb2.SegmentRequest(report=good), timeout=10)
        metadata = response.segmented_report.metadata
        check(metadata.region == "平罗县", f"region {metadata.region!r}")
        check(metadata.year == 2023, f"year {metadata.year}")

        bad = report_pb2.Report(id="bad", text=b"\xe5\xb9\xb3\xff")
        try:
            segmenter.Segment(segmenter_pb2.SegmentRequest(report=bad),
                              timeout=10)
            check(False, "invalid UTF-8 was accepted")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.INVALID_ARGUMENT,
                  f"invalid UTF-8 gave {error.code()}")
            check("byte offset 3" in error.details(),
                  f"no offset in {error.details()!r}")

        batch = [good, bad, good]
        answers = list(segmenter.SegmentStream(
            (segmenter_pb2.SegmentStreamRequest(report=r) for r in batch),
            timeout=10))
        check(len(answers) == 3, f"{len(answers)} stream answers for 3")
        check(answers[0].segmented_report.report_id == "pingluo",
              "first stream answer")
        check(answers[1].receipt.outcome ==
              receipt_pb2.RECEIPT_OUTCOME_REJECTED, "bad report not rejected")
        check(answers[2].segmented_report.metadata.region == "平罗县",
              "third stream answer")

        stats = stats_pb2_grpc.StatsStub(channel).GetStats(
            stats_pb2.GetStatsRequest(), timeout=10)
        check(stats.reports_in == 5 and stats.errors == 2,
              f"stats in={stats.reports_in} errors={stats.errors}")
    print("segment_client: all checks passed")


if __name__ == "__main__":
    main()
